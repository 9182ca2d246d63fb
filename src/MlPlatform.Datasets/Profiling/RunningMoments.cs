namespace MlPlatform.Datasets.Profiling;

/// <summary>
/// Mean and variance in one pass. Values are gathered in blocks; each block's squared deviations
/// are summed around its own mean (two passes over a few cached values) and merged into the
/// total with Chan et al.'s pairwise update — as accurate as Welford's per-value update, which
/// the textbook sum of squares is not, without a division per value. The mean is the
/// compensated sum over the count, exact while the sum is an exact double.
/// </summary>
internal sealed class RunningMoments
{
    private const int BlockSize = 64;

    private readonly double[] _block = new double[BlockSize];
    private int _blockLength;
    private long _merged;
    private double _sum;
    private double _sumCompensation;
    private double _sumOfSquaredDeviations;

    public long Count => _merged + _blockLength;

    /// <summary>The mean, or null when values near ±1.8e308 overflowed it (JSON and people can't use ±∞).</summary>
    public double? FiniteMean
    {
        get
        {
            Merge();
            return _merged > 0 && Mean is var mean && double.IsFinite(mean) ? mean : null;
        }
    }

    /// <summary>The sample standard deviation, or null with fewer than two values or when it overflowed.</summary>
    public double? SampleStdDev
    {
        get
        {
            Merge();
            return _merged > 1 && Math.Sqrt(_sumOfSquaredDeviations / (_merged - 1)) is var stdDev && double.IsFinite(stdDev) ? stdDev : null;
        }
    }

    private double Mean => (_sum + _sumCompensation) / _merged;

    public void Add(double value)
    {
        _block[_blockLength++] = value;
        if (_blockLength == BlockSize)
        {
            Merge();
        }
    }

    private void Merge()
    {
        if (_blockLength == 0)
        {
            return;
        }

        var block = _block.AsSpan(0, _blockLength);
        var blockSum = 0.0;
        foreach (var value in block)
        {
            blockSum += value;
        }

        var blockMean = blockSum / block.Length;
        var blockSquaredDeviations = 0.0;
        foreach (var value in block)
        {
            var deviation = value - blockMean;
            blockSquaredDeviations += deviation * deviation;
        }

        if (_merged == 0)
        {
            _sumOfSquaredDeviations = blockSquaredDeviations;
        }
        else
        {
            var delta = blockMean - Mean;
            _sumOfSquaredDeviations += blockSquaredDeviations + (delta * delta * ((double)_merged * block.Length / (_merged + block.Length)));
        }

        AddToSum(blockSum);
        _merged += block.Length;
        _blockLength = 0;
    }

    /// <summary>Neumaier's compensated summation: the running sum keeps the low bits that adding drops.</summary>
    private void AddToSum(double value)
    {
        var sum = _sum + value;
        _sumCompensation += Math.Abs(_sum) >= Math.Abs(value) ? (_sum - sum) + value : (value - sum) + _sum;
        _sum = sum;
    }
}
