namespace MlPlatform.Datasets.Profiling;

/// <summary>Mean and variance in one pass with Welford's update, which stays accurate where the textbook sum of squares cancels.</summary>
internal struct RunningMoments
{
    private double _sumOfSquaredDeviations;

    public long Count { get; private set; }

    public double Mean { get; private set; }

    /// <summary>The mean, or null when values near ±1.8e308 overflowed it (JSON and people can't use ±∞).</summary>
    public readonly double? FiniteMean => double.IsFinite(Mean) ? Mean : null;

    /// <summary>The sample standard deviation, or null with fewer than two values or when it overflowed.</summary>
    public readonly double? SampleStdDev =>
        Count > 1 && Math.Sqrt(_sumOfSquaredDeviations / (Count - 1)) is var stdDev && double.IsFinite(stdDev) ? stdDev : null;

    public void Add(double value)
    {
        Count++;
        var delta = value - Mean;
        Mean += delta / Count;
        _sumOfSquaredDeviations += delta * (value - Mean);
    }
}
