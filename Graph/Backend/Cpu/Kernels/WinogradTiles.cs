namespace StaticGraph.Backend.Cpu.Kernels;

/// <summary>
/// How Winograd F(2x2, 3x3) covers a convolution's output: 2x2 output tiles, each computed from the 4x4 patch of the
/// zero-padded input at twice its tile index, so a tile row reads four padded rows and its tiles' patches overlap by two
/// columns. Tiles of several images are laid side by side into one block of <see cref="BlockTiles"/> columns, the width
/// of the sixteen products that replace the 3x3 filter's nine-tap sums (one per element of the 4x4 transformed tile).
/// The number of images per block depends on the geometry alone, so the filter gradient's sums over a block are the
/// same whatever splits the batch.
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
    /// Tiles per block, at least: the sixteen products of a block are matrices of that many columns (or, for the filter
    /// gradient, dot products of that length), and shorter ones spend their time on edges and reductions. A block of
    /// large channel counts outgrows L2 (16 x 128 channels x 256 tiles = 2 MiB), but each product then reads its slice
    /// once per 128-row output, so L3 keeps up.
    /// </summary>
    private const int BlockTilesTarget = 256;

    /// <summary>
    /// Smallest output side the convolution and input gradient take by tiles: a 7x7 output takes 4x4 tiles (8x8
    /// outputs, 31% of them wasted), which costs about what the 16-for-36 products save (measured); 8x8 wastes nothing.
    /// </summary>
    private const int MinOutputSide = 8;

    /// <summary>
    /// Smallest output side the filter gradient takes by tiles: on 8x8 planes its dot products over a block's tiles
    /// ran at half the direct kernel's rate (measured with 128 channels), on 14x14 and more they win.
    /// </summary>
    private const int MinFilterGradientSide = 10;

    /// <summary>Padded rows in scratch: the four read by each tile row.</summary>
    public int PaddedRows => 2 * TilesH + 2;

    /// <summary>Tiles per image.</summary>
    public int TilesPerImage => TilesH * TilesW;

    /// <summary>Tiles of a full block.</summary>
    public int BlockTiles => BlockImages * TilesPerImage;

    /// <summary>
    /// Whether F(2x2, 3x3) computes <paramref name="g"/>'s forward convolution and input gradient: float (f64 stays the
    /// direct reference), a 3x3 filter with unit stride and dilation, one group, padding at most 2 (so the padded patches
    /// cover the input), at least 8 channels on both sides (with fewer, the transforms cost more than the products save)
    /// and planes of at least <see cref="MinOutputSide"/> on each side, in and out.
    /// </summary>
    public static bool Applies<T>(in ConvGeometry g) => Suits<T>(g, MinOutputSide);

    /// <summary>Whether F(3x3, 2x2) computes <paramref name="g"/>'s filter gradient: as <see cref="Applies{T}"/>, on planes of at least <see cref="MinFilterGradientSide"/>.</summary>
    public static bool AppliesToFilterGradient<T>(in ConvGeometry g) => Suits<T>(g, MinFilterGradientSide);

    private static bool Suits<T>(in ConvGeometry g, int minSide)
        => typeof(T) == typeof(float) && g.KernelH == 3 && g.KernelW == 3 && g.StrideH == 1 && g.StrideW == 1
            && g.DilationH == 1 && g.DilationW == 1 && g.Groups == 1 && g.PadH == g.PadW && g.PadH <= 2
            && g.InChannels >= 8 && g.OutChannels >= 8 && Math.Min(g.OutHeight, g.OutWidth) >= minSide
            && Math.Min(g.Height, g.Width) >= minSide;

    /// <summary>
    /// Whether the transforms, which take a vector of tiles of one tile row, should run on 8-lane vectors inside a kernel
    /// of <paramref name="lanes"/>: on planes of at most 8 tiles across they waste half as many lanes (14x14 planes: 7 of
    /// 8 used instead of 7 of 16). Lane for lane the arithmetic is the same, so are the bits.
    /// </summary>
    public bool NarrowTransforms<T>(int lanes)
        where T : unmanaged, System.Numerics.IFloatingPointIeee754<T>
        => lanes > 8 && TilesW <= 8 && Simd256<T>.IsUsable;

    /// <summary>The tiles of <paramref name="g"/>'s output, for vectors of <paramref name="lanes"/> elements.</summary>
    public static unsafe WinogradTiles Of<T>(in ConvGeometry g, int lanes)
        where T : unmanaged
    {
        int tilesH = (g.OutHeight + 1) / 2, tilesW = (g.OutWidth + 1) / 2;
        // A tile vector starting at tile b reads columns up to 2 (b + lanes) + 3 of its rows.
        int rowLength = 2 * ((tilesW + lanes - 1) / lanes * lanes) + 2 + lanes;
        int images = Math.Clamp((BlockTilesTarget + tilesH * tilesW - 1) / (tilesH * tilesW), 1, Math.Max(1, g.Batch));
        int perLine = Math.Max(1, 64 / sizeof(T));
        long lines = ((long)images * tilesH * tilesW + lanes + perLine - 1) / perLine;
        if (lines % 2 == 0) lines++;
        return new WinogradTiles(tilesH, tilesW, g.PadH, rowLength, images, (nint)(lines * perLine));
    }

    /// <summary>The same layout for a block of <paramref name="images"/> images (the last block of a range may be smaller).</summary>
    public int TilesOf(int images) => images * TilesPerImage;
}
