namespace MlPlatform.Datasets.Profiling;

/// <summary>Mean and variance in one pass with Welford's update, which stays accurate where the textbook sum of squares cancels.</summary>
internal struct RunningMoments
{
    private double _sumOfSquaredDeviations;

    public long Count { get; private set; }

    public double Mean { get; private set; }

    public readonly double? SampleStdDev =>
        Count > 1 ? Math.Sqrt(_sumOfSquaredDeviations / (Count - 1)) : null;

    public void Add(double value)
    {
        Count++;
        var delta = value - Mean;
        Mean += delta / Count;
        _sumOfSquaredDeviations += delta * (value - Mean);
    }
}
