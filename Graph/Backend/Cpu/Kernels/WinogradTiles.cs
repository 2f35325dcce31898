namespace StaticGraph.Backend.Cpu.Kernels;

/// <summary>
/// How Winograd F(2x2, 3x3) covers a convolution's output: 2x2 output tiles, each computed from the 4x4 patch of the
/// zero-padded input at twice its tile index, so a tile row reads four padded rows and its tiles' patches overlap by two
/// columns. Tiles of several images are laid side by side into one block of <see cref="BlockTiles"/> columns, the width
/// of the sixteen products that replace the 3x3 filter's nine-tap sums (one per element of the 4x4 transformed tile).
/// </summary>
/// <param name="TilesH">Tile rows: half the output height, rounded up.</param>
/// <param name="TilesW">Tiles per row: half the output width, rounded up.</param>
/// <param name="Pad">Zero rows and columns added on each side of the input.</param>
/// <param name="RowLength">Elements of a padded input row in scratch, with room for whole-vector reads past the last tile.</param>
/// <param name="BlockImages">Images per block.</param>
/// <param name="BlockStride">Distance between rows of the transformed matrices: at least the block's tiles plus a vector, whole cache lines, an odd number of them.</param>
internal readonly record struct WinogradTiles(int TilesH, int TilesW, int Pad, int RowLength, int BlockImages, nint BlockStride)
{
    /// <summary>Elements of a transformed tile: 4x4.</summary>
    public const int Points = 16;

    /// <summary>
    /// Bound on <c>block tiles x max(in, out channels)</c>: the transformed input and the products of a block are each
    /// 16 x channels x tiles values, which at this bound (2 x 256 KiB in f32) stay in a 1 MiB L2 between the phases
    /// that write and read them.
    /// </summary>
    private const int BlockBudget = 4096;

    /// <summary>Padded rows in scratch: the four read by each tile row.</summary>
    public int PaddedRows => 2 * TilesH + 2;

    /// <summary>Tiles per image.</summary>
    public int TilesPerImage => TilesH * TilesW;

    /// <summary>Tiles of a full block.</summary>
    public int BlockTiles => BlockImages * TilesPerImage;

    /// <summary>Smallest output side computed by tiles: a 7x7 output takes 4x4 tiles (8x8 outputs, 31% of them wasted)
    /// and its short tile rows fill few vector lanes, which costs more than the 16-for-36 products save (measured).</summary>
    private const int MinOutputSide = 10;

    /// <summary>
    /// Whether F(2x2, 3x3) computes <paramref name="g"/> as a forward convolution: float (f64 stays the direct
    /// reference), a 3x3 filter with unit stride and dilation, one group, padding at most 2 (so the padded patches cover
    /// the input), at least 8 channels on both sides (with fewer, the transforms cost more than the products save) and
    /// outputs of at least <see cref="MinOutputSide"/> on each side.
    /// </summary>
    public static bool Applies<T>(in ConvGeometry g)
        => typeof(T) == typeof(float) && g.KernelH == 3 && g.KernelW == 3 && g.StrideH == 1 && g.StrideW == 1
            && g.DilationH == 1 && g.DilationW == 1 && g.Groups == 1 && g.PadH == g.PadW && g.PadH <= 2
            && g.InChannels >= 8 && g.OutChannels >= 8 && Math.Min(g.OutHeight, g.OutWidth) >= MinOutputSide
            && Math.Min(g.Height, g.Width) >= MinOutputSide;

    /// <summary>The tiles of <paramref name="g"/>'s output, for vectors of <paramref name="lanes"/> elements.</summary>
    public static unsafe WinogradTiles Of<T>(in ConvGeometry g, int lanes)
        where T : unmanaged
    {
        int tilesH = (g.OutHeight + 1) / 2, tilesW = (g.OutWidth + 1) / 2;
        // A tile vector starting at tile b reads columns up to 2 (b + lanes) + 3 of its rows.
        int rowLength = 2 * ((tilesW + lanes - 1) / lanes * lanes) + 2 + lanes;
        int images = Math.Clamp(BlockBudget / Math.Max(g.InChannels, g.OutChannels) / (tilesH * tilesW), 1, Math.Max(1, g.Batch));
        int perLine = Math.Max(1, 64 / sizeof(T));
        long lines = ((long)images * tilesH * tilesW + lanes + perLine - 1) / perLine;
        if (lines % 2 == 0) lines++;
        return new WinogradTiles(tilesH, tilesW, g.PadH, rowLength, images, (nint)(lines * perLine));
    }

    /// <summary>The same layout for a block of <paramref name="images"/> images (the last block of a range may be smaller).</summary>
    public int TilesOf(int images) => images * TilesPerImage;
}
