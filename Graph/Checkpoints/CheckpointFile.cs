using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;
using StaticGraph.Backend;

namespace StaticGraph.Checkpoints;

/// <summary>
/// The checkpoint format, version 1 (little-endian): magic "SGCKPT01", u32 version, i64 step,
/// u64 seed, i32 epoch, u32 metadata count then (string key, string value) pairs, u32 variable
/// count then per variable (string name, u8 dtype, u8 rank, i32 dims, u64 byte count, bytes),
/// and last the SHA-256 of everything before it. Strings are u16 length + UTF-8.
/// Saving writes a temporary file in the same folder, flushes it to disk and renames it, so a crash
/// leaves the previous checkpoint intact. Loading checks everything before touching any variable.
/// </summary>
public static class CheckpointFile
{
    /// <summary>The format version written and accepted.</summary>
    public const uint Version = 1;

    private static readonly byte[] Magic = "SGCKPT01"u8.ToArray();
    private const int HashBytes = 32;

    /// <summary>Prefix of the metadata keys that hold the executable's backend state (<see cref="IExecutable.SaveState"/>).</summary>
    public const string BackendStatePrefix = "backend.";

    /// <summary>
    /// Saves every variable of <paramref name="program"/> as held by <paramref name="executable"/>, with the executable's
    /// backend state (under keys starting with <see cref="BackendStatePrefix"/>) beside <paramref name="metadata"/>.
    /// </summary>
    public static void Save(string path, IExecutable executable, GraphProgram program, int epoch, IReadOnlyDictionary<string, string>? metadata = null, ulong seed = 0)
    {
        var variables = program.Variables
            .Select(v => new SavedVariable(v.Name!, v.Type, executable.ReadVariableBytes(v.Name!)))
            .ToList();
        var meta = new Dictionary<string, string>(metadata ?? new Dictionary<string, string>(), StringComparer.Ordinal);
        foreach (var (key, value) in executable.SaveState()) meta[BackendStatePrefix + key] = value;
        Write(path, new CheckpointData(executable.Step, seed, epoch, meta, variables));
    }

    /// <summary>Writes <paramref name="data"/> atomically to <paramref name="path"/>.</summary>
    public static void Write(string path, CheckpointData data)
    {
        using var body = new MemoryStream();
        using (var w = new BinaryWriter(body, Encoding.UTF8, leaveOpen: true))
        {
            w.Write(Magic);
            w.Write(Version);
            w.Write(data.Step);
            w.Write(data.Seed);
            w.Write(data.Epoch);
            w.Write((uint)data.Metadata.Count);
            foreach (var (k, v) in data.Metadata.OrderBy(kv => kv.Key, StringComparer.Ordinal))
            {
                WriteString(w, k);
                WriteString(w, v);
            }
            w.Write((uint)data.Variables.Count);
            foreach (var v in data.Variables)
            {
                WriteString(w, v.Name);
                w.Write((byte)v.Type.DType);
                w.Write((byte)v.Type.Shape.Rank);
                foreach (var d in v.Type.Shape) w.Write(d);
                w.Write((ulong)v.Bytes.Length);
                w.Write(v.Bytes);
            }
        }
        var hash = SHA256.HashData(body.GetBuffer().AsSpan(0, (int)body.Length));
        var full = Path.GetFullPath(path);
        Directory.CreateDirectory(Path.GetDirectoryName(full)!);
        var temp = full + ".tmp";
        using (var f = new FileStream(temp, FileMode.Create, FileAccess.Write, FileShare.None))
        {
            f.Write(body.GetBuffer(), 0, (int)body.Length);
            f.Write(hash);
            f.Flush(flushToDisk: true);
        }
        File.Move(temp, full, overwrite: true);
    }

    /// <summary>Reads and verifies a checkpoint; never executes anything from it.</summary>
    public static CheckpointData Read(string path) => Parse(path, ReadBytes(path));

    /// <summary>A checkpoint file's bytes, unverified (to send to ranks that cannot read the file; <see cref="Parse"/> checks them).</summary>
    public static byte[] ReadBytes(string path)
    {
        try
        {
            return File.ReadAllBytes(path);
        }
        catch (IOException e)
        {
            throw new CheckpointException(path, 0, "cannot be read: " + e.Message);
        }
    }

    /// <summary>Verifies and decodes a checkpoint's <paramref name="bytes"/>; <paramref name="path"/> names where they came from in errors.</summary>
    public static CheckpointData Parse(string path, byte[] bytes)
    {
        ArgumentNullException.ThrowIfNull(bytes);
        if (bytes.Length < Magic.Length + HashBytes)
            throw new CheckpointException(path, bytes.Length, $"truncated: {bytes.Length} bytes is shorter than any checkpoint");
        if (!bytes.AsSpan(0, Magic.Length).SequenceEqual(Magic))
            throw new CheckpointException(path, 0, "not a checkpoint of this library (wrong magic number)");
        var r = new SpanReader(path, bytes.AsSpan(0, bytes.Length - HashBytes).ToArray());
        r.Skip(Magic.Length);
        var version = r.U32();
        if (version != Version)
            throw new CheckpointException(path, 8, $"format version {version}; this library reads version {Version}");
        var expected = SHA256.HashData(bytes.AsSpan(0, bytes.Length - HashBytes));
        if (!expected.AsSpan().SequenceEqual(bytes.AsSpan(bytes.Length - HashBytes)))
            throw new CheckpointException(path, bytes.Length - HashBytes, "checksum mismatch: the file is corrupted or truncated");
        var step = r.I64();
        var seed = r.U64();
        var epoch = r.I32();
        var metaCount = r.Count("metadata entries", minBytesEach: 4);
        var meta = new Dictionary<string, string>(StringComparer.Ordinal);
        for (var i = 0; i < metaCount; i++) meta[r.String()] = r.String();
        var varCount = r.Count("variables", minBytesEach: 12);
        var vars = new List<SavedVariable>(varCount);
        var names = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < varCount; i++)
        {
            var nameAt = r.Offset;
            var name = r.String();
            if (!names.Add(name)) throw new CheckpointException(path, nameAt, $"variable '{name}' appears twice");
            var dtypeAt = r.Offset;
            var dtype = (DType)r.U8();
            if (!Enum.IsDefined(dtype)) throw new CheckpointException(path, dtypeAt, $"variable '{name}' has an unknown dtype code {(int)dtype}");
            var rank = r.U8();
            if (rank > 8) throw new CheckpointException(path, r.Offset - 1, $"variable '{name}' has rank {rank}; at most 8 is supported");
            var dims = new int[rank];
            long elements = 1;
            for (var d = 0; d < rank; d++)
            {
                dims[d] = r.I32();
                if (dims[d] <= 0) throw new CheckpointException(path, r.Offset - 4, $"variable '{name}' has a dimension {dims[d]}");
                if (elements > long.MaxValue / dims[d] / dtype.SizeInBytes())
                    throw new CheckpointException(path, r.Offset - 4, $"variable '{name}' has more than 2^63 bytes");
                elements *= dims[d];
            }
            var type = new TensorType(dtype, new Shape(dims));
            var lengthAt = r.Offset;
            var length = r.U64();
            if (length != (ulong)type.SizeInBytes)
                throw new CheckpointException(path, lengthAt, $"variable '{name}' is {type} ({type.SizeInBytes} bytes) but stores {length} bytes");
            if (length > (ulong)r.Remaining)
                throw new CheckpointException(path, r.Offset, $"truncated: variable '{name}' needs {length} bytes, {r.Remaining} remain");
            vars.Add(new SavedVariable(name, type, r.Bytes((int)length)));
        }
        if (!r.AtEnd) throw new CheckpointException(path, r.Offset, "unexpected bytes after the last variable");
        return new CheckpointData(step, seed, epoch, meta, vars);
    }

    /// <summary>
    /// Loads a checkpoint into an executable: its variables, its step and its backend state. Every variable of the program
    /// must be present with the same type; otherwise nothing is written and the reason names the first mismatch.
    /// </summary>
    public static CheckpointData Load(string path, IExecutable executable, GraphProgram program) => Apply(path, Read(path), executable, program);

    /// <summary>
    /// Loads checkpoint <paramref name="data"/> (read from <paramref name="path"/>) into an executable, as <see cref="Load"/>
    /// does: everything is checked before any variable is written.
    /// </summary>
    public static CheckpointData Apply(string path, CheckpointData data, IExecutable executable, GraphProgram program)
    {
        ArgumentNullException.ThrowIfNull(data);
        ArgumentNullException.ThrowIfNull(executable);
        ArgumentNullException.ThrowIfNull(program);
        var saved = data.Variables.ToDictionary(v => v.Name, StringComparer.Ordinal);
        foreach (var v in program.Variables)
        {
            if (!saved.TryGetValue(v.Name!, out var s))
                throw new CheckpointException(path, 0, $"checkpoint of another graph: it has no variable '{v.Name}'");
            if (s.Type != v.Type)
                throw new CheckpointException(path, 0, $"checkpoint of another graph: variable '{v.Name}' is {s.Type} there and {v.Type} here");
        }
        var expected = program.Variables.Select(v => v.Name!).ToHashSet(StringComparer.Ordinal);
        if (saved.Keys.FirstOrDefault(n => !expected.Contains(n)) is { } extra)
            throw new CheckpointException(path, 0, $"checkpoint of another graph: it has a variable '{extra}' this program lacks");
        foreach (var v in program.Variables) executable.WriteVariableBytes(v.Name!, saved[v.Name!].Bytes);
        executable.Step = data.Step;
        executable.RestoreState(data.Metadata.Where(kv => kv.Key.StartsWith(BackendStatePrefix, StringComparison.Ordinal))
            .ToDictionary(kv => kv.Key[BackendStatePrefix.Length..], kv => kv.Value, StringComparer.Ordinal));
        return data;
    }

    private static void WriteString(BinaryWriter w, string s)
    {
        var bytes = Encoding.UTF8.GetBytes(s);
        if (bytes.Length > ushort.MaxValue) throw new ArgumentException($"string of {bytes.Length} bytes is too long for a checkpoint");
        w.Write((ushort)bytes.Length);
        w.Write(bytes);
    }

    /// <summary>Bounds-checked little-endian reads that report the offset of any shortfall.</summary>
    private sealed class SpanReader(string path, byte[] data)
    {
        public int Offset { get; private set; }

        public bool AtEnd => Offset == data.Length;

        public int Remaining => data.Length - Offset;

        public void Skip(int n) => Take(n);

        public byte U8() => Take(1)[0];

        public uint U32() => BinaryPrimitives.ReadUInt32LittleEndian(Take(4));

        public int I32() => BinaryPrimitives.ReadInt32LittleEndian(Take(4));

        public long I64() => BinaryPrimitives.ReadInt64LittleEndian(Take(8));

        public ulong U64() => BinaryPrimitives.ReadUInt64LittleEndian(Take(8));

        public byte[] Bytes(int n) => Take(n).ToArray();

        public string String() => Encoding.UTF8.GetString(Take(BinaryPrimitives.ReadUInt16LittleEndian(Take(2))));

        /// <summary>A count field, refused when the rest of the file cannot hold that many entries.</summary>
        public int Count(string what, int minBytesEach)
        {
            var at = Offset;
            var n = U32();
            if (n > (uint)((data.Length - Offset) / minBytesEach))
                throw new CheckpointException(path, at, $"claims {n} {what}, more than the remaining {data.Length - Offset} bytes can hold");
            return (int)n;
        }

        private ReadOnlySpan<byte> Take(int n)
        {
            if (n < 0 || Offset + (long)n > data.Length)
                throw new CheckpointException(path, Offset, $"truncated: needed {n} more bytes, {data.Length - Offset} remain");
            var span = data.AsSpan(Offset, n);
            Offset += n;
            return span;
        }
    }
}
