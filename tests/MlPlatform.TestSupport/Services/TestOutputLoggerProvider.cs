using Microsoft.Extensions.Logging;
using Xunit;

namespace MlPlatform.TestSupport.Services;

/// <summary>
/// Shows a service's warnings and errors in the output of the test running when they were logged,
/// so a failed call explains itself. <paramref name="service"/> prefixes each line when a test
/// hosts more than one service.
/// </summary>
public sealed class TestOutputLoggerProvider(string? service = null) : ILoggerProvider
{
    public ILogger CreateLogger(string categoryName) => new TestOutputLogger(service is null ? categoryName : $"{service} {categoryName}");

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
                try
                {
                    TestContext.Current.TestOutputHelper?.WriteLine($"{logLevel} {category}: {formatter(state, exception)}{(exception is null ? "" : $"\n{exception}")}");
                }
                catch (InvalidOperationException)
                {
                    // No test is running (e.g. during shutdown).
                }
            }
        }
    }
}
