using System.Globalization;
using StaticGraph.Random;

namespace StaticGraph.Ops;

/// <summary>
/// A random draw. Its value is a pure function of (the run's seed, <see cref="Stream"/>, the
/// training step, the element index) through Philox4x32-10 with the counter layout of
/// <see cref="RandomStream"/>: key = seed, counter = (element, draw, stream, step). It therefore
/// does not depend on build order, execution order, thread count or device, and a resumed run
/// draws what an uninterrupted one would. Random draws have no gradient; inference programs draw
/// too (the regularizers choose what to do at inference).
/// </summary>
public abstract class RandomOp(uint stream) : Op
{
    /// <summary>Counter word 2 of every draw: the hash of the node's qualified name (<see cref="GraphBuilder.StreamOf"/>).</summary>
    public uint Stream { get; } = stream;

    /// <summary>The op's own attributes in listings (the stream is appended by <see cref="Attributes"/>).</summary>
    protected abstract string DrawAttributes { get; }

    /// <inheritdoc/>
    public sealed override string Attributes =>
        (DrawAttributes.Length > 0 ? DrawAttributes + " " : "") + $"stream={Stream:x8}";

    /// <inheritdoc/>
    public sealed override Node?[] Gradient(GraphBuilder b, Node node, Node outputGradient) => NoGradient(node);

    /// <summary>
    /// Checks a floating-point draw's output type: f32 or f64 (the dtypes the bit recipes define), and
    /// few enough elements that every element index fits counter word 0.
    /// </summary>
    protected static void ExpectDrawType(TensorType type)
    {
        if (type.DType is not (DType.F32 or DType.F64))
            throw Fail($"random draws are f32 or f64, got {type.DType.ShortName()}");
        ExpectCountable(type.Shape.ElementCount, "elements");
    }

    /// <summary>Checks that <paramref name="count"/> indices fit the 32-bit element word of the counter.</summary>
    protected static void ExpectCountable(long count, string what)
    {
        if (count > uint.MaxValue + 1L)
            throw Fail($"a random op draws at most 2^32 {what} (one Philox counter each), got {count}");
    }

    /// <summary>Checks that an attribute is a finite number.</summary>
    protected static void ExpectFinite(double value, string what)
    {
        if (!double.IsFinite(value)) throw Fail($"expected {what} to be finite, got {value}");
    }

    /// <summary>An attribute value as listings show it.</summary>
    protected static string Format(double value) => value.ToString("G6", CultureInfo.InvariantCulture);

    /// <summary>The stream id of a random node about to be built under <paramref name="localName"/> in the current scope.</summary>
    public static uint StreamFor(GraphBuilder b, string localName)
    {
        ArgumentNullException.ThrowIfNull(b);
        if (string.IsNullOrWhiteSpace(localName))
            throw new GraphBuildException("a random node needs a non-empty name: its name selects its random stream");
        return b.StreamOf(b.Qualify(localName));
    }
}
