using Microsoft.Extensions.Logging;

namespace MlPlatform.Tracking.Tests;

/// <summary>
/// Shows the service's warnings and errors in the output of the test that caused them (the
/// factory makes the in-memory server run calls in the test's async flow), so a failed call explains itself.
/// </summary>
internal sealed class TestOutputLoggerProvider : ILoggerProvider
{
    public ILogger CreateLogger(string categoryName) => new TestOutputLogger(categoryName);

    public void Dispose()
    {
    }

    private sealed class TestOutputLogger(string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Warning;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (IsEnabled(logLevel))
            {
                TestContext.Current.TestOutputHelper?.WriteLine($"{logLevel} {category}: {formatter(state, exception)}{(exception is null ? "" : $"\n{exception}")}");
            }
        }
    }
}
