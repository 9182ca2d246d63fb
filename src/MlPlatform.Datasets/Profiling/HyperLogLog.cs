using System.Numerics;

namespace MlPlatform.Datasets.Profiling;

/// <summary>
/// Estimates how many distinct values a column holds in 4 KiB, whatever their number
/// (Flajolet et al., 2007; standard error 1.04/√4096 ≈ 1.6 %). With few values it switches to
/// linear counting, which is close to exact there.
/// </summary>
internal sealed class HyperLogLog
{
    private const int Precision = 12;
    private const int RegisterCount = 1 << Precision;

    private readonly byte[] _registers = new byte[RegisterCount];

    /// <param name="hash">A well-mixed 64-bit hash of the value, such as XxHash3.</param>
    public void Add(ulong hash)
    {
        var register = (int)(hash >> (64 - Precision));
        // Rank = position of the first 1 bit after the register bits; the guard bit caps it at 64 - Precision + 1.
        var rank = (byte)(BitOperations.LeadingZeroCount((hash << Precision) | (1UL << (Precision - 1))) + 1);
        if (rank > _registers[register])
        {
            _registers[register] = rank;
        }
    }

    public long Estimate()
    {
        const double m = RegisterCount;
        var sum = 0.0;
        var empty = 0;
        foreach (var rank in _registers)
        {
            sum += Math.ScaleB(1.0, -rank);
            empty += rank == 0 ? 1 : 0;
        }

        var estimate = 0.7213 / (1 + 1.079 / m) * m * m / sum;
        if (estimate <= 2.5 * m && empty > 0)
        {
            estimate = m * Math.Log(m / empty);
        }

        return (long)Math.Round(estimate);
    }
}
