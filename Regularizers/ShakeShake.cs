namespace StaticGraph.Regularizers;

/// <summary>How a Shake-Shake coefficient is chosen (Gastaldi 2017, Table 1).</summary>
public enum ShakeMode
{
    /// <summary>A fresh uniform draw in [0, 1) at every step.</summary>
    Shake,

    /// <summary>Always 0.5.</summary>
    Even,

    /// <summary>Backward only: reuse the forward coefficient (the gradient is the forward function's own).</summary>
    Keep,
}

/// <summary>How many Shake-Shake coefficients a step draws.</summary>
public enum ShakeLevel
{
    /// <summary>One coefficient for the whole batch.</summary>
    Batch,

    /// <summary>One coefficient per image, broadcast over the other axes ([N,1,1,1]).</summary>
    Image,
}

/// <summary>
/// A Shake-Shake configuration: the forward coefficient's mode, the backward coefficient's mode and
/// the level they are drawn at. Every combination of the paper's Table 1 is valid (forward Shake or
/// Even; backward Shake, Even or Keep; Batch or Image); forward Keep is not, since there is nothing
/// before the forward pass to keep. The default is Shake-Shake-Image, the paper's CIFAR-10 choice.
/// </summary>
/// <param name="Forward">The forward coefficient's mode (Shake or Even).</param>
/// <param name="Backward">The backward coefficient's mode (Shake, Even or Keep).</param>
/// <param name="Level">One coefficient per batch or per image.</param>
public sealed record ShakeOptions(ShakeMode Forward = ShakeMode.Shake, ShakeMode Backward = ShakeMode.Shake, ShakeLevel Level = ShakeLevel.Image)
{
    /// <summary>The paper's name of the configuration, e.g. "Shake-Keep-Image".</summary>
    public string Name => $"{Forward}-{Backward}-{Level}";

    /// <summary>Fails with a message naming the combination when it is not one of the paper's.</summary>
    public void Validate()
    {
        if (!Enum.IsDefined(Forward) || !Enum.IsDefined(Backward) || !Enum.IsDefined(Level))
            throw new ArgumentException($"shake-shake options {Forward}/{Backward}/{Level}: unknown mode or level");
        if (Forward == ShakeMode.Keep)
            throw new ArgumentException($"shake-shake options {Name}: the forward coefficient cannot be Keep (Keep reuses the forward coefficient in the backward pass); use Shake or Even forward");
    }

    /// <summary>
    /// Parses "Shake-Shake-Image", "shake-keep-batch" or the short form "S-S-I", "S-K-B", "E-E-B"
    /// (forward, backward, level; S = Shake, E = Even, K = Keep; B = Batch, I = Image), case-insensitive.
    /// </summary>
    public static ShakeOptions Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var parts = text.Trim().Split('-');
        if (parts.Length != 3)
            throw new FormatException($"'{text}' is not a shake-shake configuration: expected forward-backward-level such as Shake-Shake-Image or S-S-I");
        static ShakeMode Mode(string s, string text) => s.ToLowerInvariant() switch
        {
            "s" or "shake" => ShakeMode.Shake,
            "e" or "even" => ShakeMode.Even,
            "k" or "keep" => ShakeMode.Keep,
            _ => throw new FormatException($"'{text}': '{s}' is not a shake mode (Shake, Even or Keep; S, E or K)"),
        };
        var level = parts[2].ToLowerInvariant() switch
        {
            "b" or "batch" => ShakeLevel.Batch,
            "i" or "image" => ShakeLevel.Image,
            _ => throw new FormatException($"'{text}': '{parts[2]}' is not a shake level (Batch or Image; B or I)"),
        };
        var options = new ShakeOptions(Mode(parts[0], text), Mode(parts[1], text), level);
        try
        {
            options.Validate();
        }
        catch (ArgumentException e)
        {
            throw new FormatException(e.Message, e);
        }
        return options;
    }

    /// <summary>The paper's name, e.g. "Shake-Shake-Image".</summary>
    public override string ToString() => Name;
}

/// <summary>
/// Shake-Shake regularization (Gastaldi, "Shake-Shake regularization", 2017): two residual
/// branches mixed by a random convex combination whose coefficient differs between the forward
/// and the backward pass.
/// </summary>
public static class ShakeShake
{
    /// <summary>
    /// Mixes <paramref name="branch1"/> and <paramref name="branch2"/> (one type, f32 or f64, batch
    /// axis first). Training: forward <c>a*b1 + (1-a)*b2</c> with gradient coefficient <c>b</c>,
    /// built exactly as <c>y = b2 + b*(b1 - b2) + StopGradient((a - b)*(b1 - b2))</c>, i.e.
    /// <c>b*b1 + (1-b)*b2 + StopGradient((a-b)*(b1-b2))</c>; a and b are uniform draws in [0, 1)
    /// ("alpha" and "beta" in a fresh scope named <paramref name="name"/>), 0.5, or (backward Keep)
    /// b = a, per <paramref name="options"/>. Inference: <c>0.5*(b1 + b2)</c>. The residual
    /// shortcut is the caller's to add.
    /// </summary>
    public static Node Combine(GraphBuilder b, Node branch1, Node branch2, ShakeOptions options, string name = "shake")
    {
        ArgumentNullException.ThrowIfNull(b);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(branch1);
        ArgumentNullException.ThrowIfNull(branch2);
        options.Validate();
        Coefficients.ExpectActivation(b, branch1, "shake-shake", name);
        if (branch1.Type != branch2.Type)
            throw new GraphBuildException($"shake-shake '{b.Qualify(name)}': the two branches must have one type, got {branch1}: {branch1.Type} and {branch2}: {branch2.Type}");

        using var _ = b.FreshScope(name);
        var dims = Coefficients.Dims(branch1, options.Level == ShakeLevel.Image);
        var dtype = branch1.DType;
        var alpha = options.Forward == ShakeMode.Shake ? b.Uniform("alpha", dims, 0, 1, dtype) : b.Scalar(0.5, dtype);
        var beta = options.Backward switch
        {
            ShakeMode.Shake => b.Uniform("beta", dims, 0, 1, dtype),
            ShakeMode.Even => options.Forward == ShakeMode.Even ? alpha : b.Scalar(0.5, dtype),
            _ => alpha, // Keep
        };

        var difference = b.Sub(branch1, branch2);
        var training = b.Add(branch2, b.Mul(difference, beta));
        if (!ReferenceEquals(alpha, beta))
            training = b.Add(training, b.StopGradient(b.Mul(difference, b.Sub(alpha, beta))));
        var inference = b.Scale(b.Add(branch1, branch2), 0.5);
        return b.ModeSelect(training, inference);
    }
}

/// <summary>
/// Shake-Shake's modes as users choose them: <c>shake</c> with <c>forward</c>, <c>backward</c> and <c>image</c>
/// (<c>--shake-forward even</c>, <c>--shake-image false</c>); read by the shake-shake models.
/// </summary>
public sealed class ShakeShakeDefinition : IModelRegularizerDefinition
{
    /// <summary>Its name.</summary>
    public const string Key = "shake";

    /// <inheritdoc/>
    public string Name => Key;

    /// <inheritdoc/>
    public string Summary => "Shake-Shake (Gastaldi 2017): the two residual branches mixed by random coefficients, forward and backward";

    /// <inheritdoc/>
    public IReadOnlyList<RegularizerParameter> Parameters { get; } =
    [
        RegularizerParameter.Choice("forward", "the forward coefficient", "shake", "shake", "even"),
        RegularizerParameter.Choice("backward", "the backward coefficient", "shake", "shake", "even", "keep"),
        RegularizerParameter.Flag("image", "a coefficient per image (true) or per batch (false)", @default: true),
    ];

    /// <inheritdoc/>
    public void Check(RegularizerArguments arguments) => Options(arguments).Validate();

    /// <summary>The modes <paramref name="settings"/> ask for, or null for the model's default.</summary>
    public static ShakeOptions? Options(RegularizerSettings settings) =>
        settings?.Arguments(Key) is { } a ? Options(a) : null;

    private static ShakeOptions Options(RegularizerArguments a) => new(
        Enum.Parse<ShakeMode>(a.Choice("forward"), ignoreCase: true),
        Enum.Parse<ShakeMode>(a.Choice("backward"), ignoreCase: true),
        a.Flag("image") ? ShakeLevel.Image : ShakeLevel.Batch);
}
