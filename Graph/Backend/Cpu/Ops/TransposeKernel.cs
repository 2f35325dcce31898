namespace StaticGraph.Backend.Cpu;

/// <summary>
/// Axis permutation as a strided copy. Output axes of size 1 are dropped and axes that stay
/// adjacent in the input are merged. When the innermost output axis is contiguous in the input,
/// rows are copied whole; otherwise the copy runs in square tiles over that axis and the axis that
/// is contiguous in the input, so both sides touch whole cache lines. Elements move as raw bits,
/// so every dtype of 4 or 8 bytes is handled.
/// </summary>
[CpuKernelFor(typeof(TransposeOp))]
internal sealed unsafe class TransposeKernel : CpuKernel, IParallelBody
{
    /// <summary>Edge of a square tile in elements: 32 x 8 bytes = 4 cache lines per tile row.</summary>
    private const int Tile = 32;

    private readonly CpuTensor _x, _y;
    private readonly int _elementSize;

    // Merged output axes: their sizes and each one's stride in the input and in the output.
    private readonly long[] _dims, _srcStrides, _dstStrides;

    // The axes a task indexes by division: all but the innermost (row mode) or all but the two tiled ones.
    private readonly long[] _outerDims, _outerSrc, _outerDst;

    private readonly bool _tiled;
    private readonly int _contiguousAxis;
    private readonly long _blocksPerOuter, _itemsPerTask;
    private readonly int _tasks;

    public TransposeKernel(CpuKernelArgs args)
    {
        var perm = ((TransposeOp)args.Node.Op).Permutation;
        (_x, _y) = (args.Inputs[0], args.Output);
        _elementSize = _y.Type.DType.SizeInBytes();
        if (_elementSize is not (4 or 8))
            throw new NotSupportedException($"the CPU backend does not transpose {_y.Type.DType.ShortName()} tensors");

        var inputStrides = _x.Shape.Strides();
        var dims = new List<long>();
        var src = new List<long>();
        for (var i = 0; i < perm.Count; i++)
        {
            long size = _y.Shape[i], stride = inputStrides[perm[i]];
            if (size == 1) continue;
            // Two output axes that are also adjacent, in order, in the input are one axis.
            if (dims.Count > 0 && src[^1] == stride * size)
            {
                dims[^1] *= size;
                src[^1] = stride;
            }
            else
            {
                dims.Add(size);
                src.Add(stride);
            }
        }
        if (dims.Count == 0)
        {
            dims.Add(1);
            src.Add(1);
        }
        _dims = [.. dims];
        _srcStrides = [.. src];
        _dstStrides = StridedIndex.Contiguous(_dims);

        var last = _dims.Length - 1;
        // The input's innermost axis of size > 1 has stride 1 and survives merging with stride 1.
        _contiguousAxis = Array.IndexOf(_srcStrides, 1L);
        _tiled = _srcStrides[last] != 1;
        var outer = Enumerable.Range(0, _dims.Length).Where(d => d != last && !(_tiled && d == _contiguousAxis)).ToArray();
        _outerDims = outer.Select(d => _dims[d]).ToArray();
        _outerSrc = outer.Select(d => _srcStrides[d]).ToArray();
        _outerDst = outer.Select(d => _dstStrides[d]).ToArray();
        var outerCount = _outerDims.Aggregate(1L, (a, d) => a * d);
        if (_tiled)
        {
            // A work item is one band of Tile positions along the contiguous axis, across the whole innermost axis.
            _blocksPerOuter = (_dims[_contiguousAxis] + Tile - 1) / Tile;
            _itemsPerTask = StridedIndex.RowsPerTask(Tile * _dims[last]);
            _tasks = StridedIndex.Tasks(outerCount * _blocksPerOuter, _itemsPerTask);
        }
        else
        {
            _itemsPerTask = StridedIndex.RowsPerTask(_dims[last]);
            _tasks = StridedIndex.Tasks(outerCount, _itemsPerTask);
        }
    }

    public override void Run(CpuContext ctx) => ctx.Workers.For(_tasks, this);

    public void Execute(int task, int worker)
    {
        if (!_tiled) CopyRows(task);
        else if (_elementSize == 4) CopyTiles<uint>(task);
        else CopyTiles<ulong>(task);
    }

    private void CopyRows(int task)
    {
        var rowLength = _dims[^1];
        var rows = _y.Length / rowLength;
        var bytes = rowLength * _elementSize;
        var first = task * _itemsPerTask;
        var end = Math.Min(rows, first + _itemsPerTask);
        for (var row = first; row < end; row++)
        {
            var src = _x.Data + StridedIndex.Offset(row, _outerDims, _outerSrc) * _elementSize;
            Buffer.MemoryCopy(src, _y.Data + row * bytes, bytes, bytes);
        }
    }

    private void CopyTiles<T>(int task) where T : unmanaged
    {
        var last = _dims.Length - 1;
        long along = _dims[_contiguousAxis], across = _dims[last];
        long dstAlong = _dstStrides[_contiguousAxis], srcAcross = _srcStrides[last];
        var items = _y.Length / (along * across) * _blocksPerOuter;
        var first = task * _itemsPerTask;
        var end = Math.Min(items, first + _itemsPerTask);
        T* x = _x.Ptr<T>(), y = _y.Ptr<T>();
        for (var item = first; item < end; item++)
        {
            var outer = item / _blocksPerOuter;
            var p0 = item % _blocksPerOuter * Tile;
            var pn = Math.Min(Tile, along - p0);
            var srcBase = x + StridedIndex.Offset(outer, _outerDims, _outerSrc) + p0;
            var dstBase = y + StridedIndex.Offset(outer, _outerDims, _outerDst) + p0 * dstAlong;
            for (long l0 = 0; l0 < across; l0 += Tile)
            {
                var ln = Math.Min(Tile, across - l0);
                for (long p = 0; p < pn; p++)
                {
                    var s = srcBase + p + l0 * srcAcross;
                    var d = dstBase + p * dstAlong + l0;
                    for (long l = 0; l < ln; l++) d[l] = s[l * srcAcross];
                }
            }
        }
    }
}
