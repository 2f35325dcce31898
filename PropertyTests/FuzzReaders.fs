/// Fuzzing the dataset readers (Data/): IDX files, raw and gzip-compressed, and the CIFAR-10/100
/// binary files. Valid files are generated in the published formats, then damaged (truncations, bit
/// flips, overwrites, insertions, wrong magic numbers, absurd dimension fields, wrong labels). Every case
/// must either read exactly what an independent reference parser reads, or be refused with a
/// DataFormatException naming the file and an offset inside it; never another exception, never a hang,
/// and never an allocation beyond a small multiple of what the file can really supply.
module FuzzReaders

open System
open System.Buffers.Binary
open System.IO
open System.IO.Compression
open Xunit
open FsCheck
open FsCheck.FSharp
open StaticGraph.Data
open FuzzSupport

// Fixed costs of a read that do not scale with the file: the FileStream's 64 KiB buffer, the gzip
// reader's first 64 KiB output buffer and the decompressor's input buffer, exceptions and messages.
let private fixedAllowance = 512L * 1024L

// ---------------------------------------------------------------------------------------------
// Reference: an independent, deliberately naive reading of the formats

/// The byte-at-a-time table of gzip's CRC-32 (reflected polynomial 0xEDB88320).
let private crcTable =
    Array.init 256 (fun b ->
        let mutable crc = uint32 b
        for _ in 1 .. 8 do
            crc <- if crc &&& 1u <> 0u then (crc >>> 1) ^^^ 0xEDB88320u else crc >>> 1
        crc)

/// CRC-32 of gzip, a byte at a time (the reader under test slices by 8).
let private crc32 (data: byte[]) =
    let mutable crc = 0xFFFFFFFFu
    for b in data do
        crc <- crcTable[int ((crc ^^^ uint32 b) &&& 0xFFu)] ^^^ (crc >>> 8)
    crc ^^^ 0xFFFFFFFFu

/// Compresses with .NET's gzip writer.
let private gzip (raw: byte[]) =
    use output = new MemoryStream()
    (use z = new GZipStream(output, CompressionLevel.Fastest, leaveOpen = true)
     z.Write(raw, 0, raw.Length))
    output.ToArray()

/// Everything a gzip stream decompresses to before it ends or fails, reading <c>chunk</c> bytes at a time,
/// and whether it ended cleanly.
let private gunzipBy (chunk: int) (file: byte[]) =
    use input = new MemoryStream(file)
    use z = new GZipStream(input, CompressionMode.Decompress)
    use output = new MemoryStream()
    let buffer = Array.zeroCreate<byte> chunk
    let rec pump () =
        let n = z.Read(buffer, 0, buffer.Length)
        if n > 0 then
            output.Write(buffer, 0, n)
            pump ()
    try
        pump ()
        output.ToArray(), true
    with :? InvalidDataException ->
        output.ToArray(), false

/// As gunzipBy, and for a corrupt stream as much data as any reader can get out of it before the error:
/// a read that fails discards what it decompressed, so the largest prefix takes one-byte reads.
let private gunzip (file: byte[]) =
    match gunzipBy 65536 file with
    | data, true -> data, true
    | _ -> gunzipBy 1 file

let private isGzip (file: byte[]) = file.Length >= 2 && file[0] = 0x1Fuy && file[1] = 0x8Buy

/// An IDX file as the reference reads it.
type IdxView = { Dims: int[]; Data: byte[] }

/// The raw IDX format: 0, 0, 0x08, rank 1..4, rank big-endian positive sizes, then exactly their product of bytes.
let private parseIdx (b: byte[]) =
    if b.Length < 4 || b[0] <> 0uy || b[1] <> 0uy || b[2] <> 8uy || b[3] < 1uy || b[3] > 4uy then None
    else
        let rank = int b[3]
        let header = 4 + 4 * rank
        if b.Length < header then None
        else
            let dims = Array.init rank (fun i -> BinaryPrimitives.ReadInt32BigEndian(ReadOnlySpan(b, 4 + 4 * i, 4)))
            if dims |> Array.exists (fun d -> d <= 0) then None
            elif dims |> Array.fold (fun n d -> n * bigint d) 1I <> bigint (b.Length - header) then None
            else Some { Dims = dims; Data = b[header..] }

/// How many data bytes a header claims, if the decompressed bytes start with something header-like (else 0).
let private claimedBytes (b: byte[]) =
    if b.Length < 4 || b[3] < 1uy || b[3] > 4uy || b.Length < 4 + 4 * int b[3] then 0L
    else
        let dims = Array.init (int b[3]) (fun i -> BinaryPrimitives.ReadInt32BigEndian(ReadOnlySpan(b, 4 + 4 * i, 4)))
        if dims |> Array.exists (fun d -> d <= 0) then 0L
        else
            // Capped at 2^40, far above anything the small fuzzed files decompress to.
            let cap = 1L <<< 40
            dims |> Array.fold (fun n d -> if n > cap / int64 d then cap else n * int64 d) 1L

/// What reading <c>file</c> must give, and the bounds a read of it must respect.
let private expectIdx (file: byte[]) =
    let length = int64 file.Length
    if isGzip file then
        let data, ended = gunzip file
        let trailerMatches =
            file.Length >= 8
            && BinaryPrimitives.ReadUInt32LittleEndian(ReadOnlySpan(file, file.Length - 8, 4)) = crc32 data
            && BinaryPrimitives.ReadUInt32LittleEndian(ReadOnlySpan(file, file.Length - 4, 4)) = uint32 data.Length
        // The reader may hold what the header legitimately claims, up to what the stream really delivers.
        let legitimate = min (claimedBytes data) (int64 data.Length)
        { Expected = (if ended && trailerMatches then parseIdx data else None)
          AllocationLimit = 8L * length + 4L * legitimate + fixedAllowance
          MaxOffset = max length (int64 data.Length) }
    else
        { Expected = parseIdx file
          AllocationLimit = 2L * length + fixedAllowance
          MaxOffset = length }

let private sameIdx (expected: IdxView) (actual: IdxView) =
    if expected.Dims <> actual.Dims then Some(sprintf "dimensions %A, expected %A" actual.Dims expected.Dims)
    elif expected.Data <> actual.Data then Some "the data differ"
    else None

let private formatError (e: exn) =
    match e with
    | :? DataFormatException as d -> Some(d.FilePath, d.ByteOffset, d.OffsetIsInDecompressedStream)
    | _ -> None

/// Reads one fuzzed IDX file through IdxFile.Read and judges the outcome.
let private checkIdx (folder: FuzzFolder) (index: int) (what: unit -> string) (file: byte[]) =
    let path = folder.Write(sprintf "case%d%s" index (if isGzip file then ".gz" else ".idx"), file)
    let expect = expectIdx file
    let outcome = attempt (fun () -> let a = IdxFile.Read path in { Dims = a.Dimensions; Data = a.Data })
    let verdict, allocated = judge what path expect sameIdx formatError outcome
    match outcome with
    | Hung -> ()
    | _ -> File.Delete path
    verdict, allocated

// ---------------------------------------------------------------------------------------------
// IDX generators

/// Bytes of the given length from a seed: random, all zeros or a pattern (so gzip ratios vary).
let private filler = gen {
    let! kind = Gen.elements [ 0; 0; 1; 2 ]
    let! seed = Gen.choose (0, Int32.MaxValue)
    return fun (n: int) ->
        let bytes = Array.zeroCreate<byte> n
        match kind with
        | 0 -> Random(seed).NextBytes bytes
        | 1 -> ()
        | _ -> for i in 0 .. n - 1 do bytes[i] <- byte ((i * 7 + seed) % 13)
        bytes
}

/// A valid IDX file of rank 1 to 4 with at most a few thousand elements.
let private validIdx = gen {
    let! rank = Gen.choose (1, 4)
    let! dims = Gen.arrayOfLength rank (Gen.frequency [ 3, Gen.choose (1, 4); 1, Gen.choose (1, 28) ])
    let dims = if Array.fold (*) 1 dims > 4096 then Array.map (fun d -> min d 4) dims else dims
    let! fill = filler
    let data = fill (Array.fold (*) 1 dims)
    let header = Array.zeroCreate<byte> (4 + 4 * rank)
    header[2] <- 8uy
    header[3] <- byte rank
    dims |> Array.iteri (fun i d -> BinaryPrimitives.WriteInt32BigEndian(header.AsSpan(4 + 4 * i), d))
    return rank, Array.append header data
}

/// Damage aimed at the IDX header: the magic bytes, the rank byte, or a dimension size set to an absurd value.
let private idxHeaderDamage rank =
    Gen.frequency
        [ 3, Gen.map2 (fun i v -> SetField(4 + 4 * i, 4, true, v)) (Gen.choose (0, min 4 rank)) (fieldValue 4)
          1, Gen.map2 (fun p b -> Overwrite(p, [| b |])) (Gen.choose (0, 3)) byteValue ]

/// A list of damages to an IDX file: none (a control case), a few random ones, or header ones.
let private idxDamages rank length =
    Gen.frequency
        [ 1, Gen.constant []
          6, damages length
          3, Gen.listOf (idxHeaderDamage rank) |> Gen.map (List.truncate 3) |> Gen.where (not << List.isEmpty)
          2, Gen.map2 (fun a b -> [ a; b ]) (idxHeaderDamage rank) (damage length) ]

/// Where the damage goes in a gzip case: into the IDX bytes before compressing, or into the gzip file.
type IdxMode =
    | Raw
    | DamageThenGzip
    | GzipThenDamage

type IdxCase =
    { Mode: IdxMode
      Original: byte[]
      Damage: Mutation list
      /// Zero bytes appended to the content before compressing (a small file that decompresses to a lot).
      Bomb: int }

    member c.File =
        match c.Mode with
        | Raw -> applyAll c.Original c.Damage
        | DamageThenGzip -> gzip (Array.append (applyAll c.Original c.Damage) (Array.zeroCreate c.Bomb))
        | GzipThenDamage -> applyAll (gzip c.Original) c.Damage

    override c.ToString() =
        sprintf "%A of a %d-byte IDX file: %s%s" c.Mode c.Original.Length
            (if c.Damage.IsEmpty then "unchanged" else c.Damage |> List.map string |> String.concat "; ")
            (if c.Bomb > 0 then sprintf "; %d zero bytes appended before compressing" c.Bomb else "")

let private idxCase mode = gen {
    let! rank, original = validIdx
    let length = if mode = GzipThenDamage then (gzip original).Length else original.Length
    // A second gzip member after the first: GZipStream decodes it, so only the trailer check can object.
    let secondMember = gen {
        let! extra = Gen.frequency [ 1, Gen.constant [||]; 3, someBytes 16 ]
        return Append(gzip extra)
    }
    let! damage =
        if mode = GzipThenDamage then
            Gen.frequency [ 1, Gen.constant []; 9, damages length; 1, secondMember |> Gen.map List.singleton ]
        else idxDamages rank length
    let! bomb = if mode = DamageThenGzip then Gen.frequency [ 8, Gen.constant 0; 1, Gen.choose (1, 1 <<< 20) ] else Gen.constant 0
    return { Mode = mode; Original = original; Damage = damage; Bomb = bomb }
}

[<Fact>]
let ``fuzzed raw IDX files are read exactly or refused cleanly`` () =
    use folder = new FuzzFolder()
    let tally = Tally("idx raw", "idx")
    fuzz tally 1000 (idxCase Raw) (fun i c -> checkIdx folder i (fun () -> string c) c.File)
    tally.Finish()

[<Fact>]
let ``fuzzed gzip IDX files are read exactly or refused cleanly`` () =
    use folder = new FuzzFolder()
    let tally = Tally("idx gzip", "idx")
    let cases = Gen.oneof [ idxCase DamageThenGzip; idxCase GzipThenDamage ]
    fuzz tally 1000 cases (fun i c -> checkIdx folder i (fun () -> string c) c.File)
    tally.Finish()

/// The header of an IDX file with the given dimensions, followed by <c>dataBytes</c> bytes.
let private idxWithClaim (dims: int[]) (dataBytes: int) =
    let header = Array.zeroCreate<byte> (4 + 4 * dims.Length)
    header[2] <- 8uy
    header[3] <- byte dims.Length
    dims |> Array.iteri (fun i d -> BinaryPrimitives.WriteInt32BigEndian(header.AsSpan(4 + 4 * i), d))
    Array.append header (Array.init dataBytes (fun i -> byte (i * 31)))

[<Fact>]
let ``absurd IDX sizes in small files are refused without allocating what they claim`` () =
    use folder = new FuzzFolder()
    let tally = Tally("idx absurd sizes", "idx")
    let claims =
        [ [| Int32.MaxValue |]                    // 2^31 - 1 one-byte images in a 1 KB file
          [| Int32.MaxValue; 28; 28 |]
          [| 1 <<< 30 |]
          [| 1 <<< 21; 28; 28 |]
          [| 1 <<< 20; 32; 32; 3 |]
          [| 65536; 65536 |]
          [| Int32.MaxValue; Int32.MaxValue; Int32.MaxValue; Int32.MaxValue |] ]
    let mutable index = 0
    for dims in claims do
        for dataBytes in [ 0; 1; 1000; 1 <<< 20 ] do
            let raw = idxWithClaim dims dataBytes
            for file in [ raw; gzip raw ] do
                index <- index + 1
                let what () = sprintf "claim %A with %d data bytes (%s)" dims dataBytes (if isGzip file then "gzip" else "raw")
                tally.Record(checkIdx folder index what file)
    tally.Finish()

// ---------------------------------------------------------------------------------------------
// CIFAR

/// A CIFAR file as the reference reads it.
type CifarView = { Labels: int[]; Pixels: byte[] }

/// Label ranges of each label byte and which one is the class.
let private layout (format: CifarFormat) =
    if format.LabelBytes = 1 then [| 10 |], 0 else [| 20; 100 |], (if format.ClassCount = 20 then 0 else 1)

/// Headerless records of label bytes + 3072 pixel bytes; a non-empty whole number of them, each label in range.
let private parseCifar (format: CifarFormat) (b: byte[]) =
    let ranges, used = layout format
    let record = ranges.Length + 3072
    if b.Length = 0 || b.Length % record <> 0 then None
    else
        let count = b.Length / record
        let labelOk r i = int b[r * record + i] < ranges[i]
        if Seq.forall (fun r -> Seq.forall (labelOk r) [ 0 .. ranges.Length - 1 ]) [ 0 .. count - 1 ] then
            Some { Labels = Array.init count (fun r -> int b[r * record + used])
                   Pixels = Array.init (count * 3072) (fun i -> b[(i / 3072) * record + ranges.Length + i % 3072]) }
        else None

let private sameCifar (expected: CifarView) (actual: CifarView) =
    if expected.Labels <> actual.Labels then Some(sprintf "labels %A, expected %A" actual.Labels expected.Labels)
    elif expected.Pixels <> actual.Pixels then Some "the pixels differ"
    else None

type CifarCase =
    { /// The layout the file is written in.
      Written: CifarFormat
      /// The layout it is read as (sometimes the other dataset's, as a user might).
      ReadAs: CifarFormat
      Original: byte[]
      Damage: Mutation list }

    override c.ToString() =
        sprintf "%s file of %d records read as %s: %s" c.Written.Name (c.Original.Length / c.Written.RecordBytes) c.ReadAs.Name
            (if c.Damage.IsEmpty then "unchanged" else c.Damage |> List.map string |> String.concat "; ")

let private formats = [ CifarFormat.Cifar10; CifarFormat.Cifar100Fine; CifarFormat.Cifar100Coarse ]

let private cifarCase = gen {
    let! written = Gen.elements formats
    let! readAs = Gen.frequency [ 6, Gen.constant written; 1, Gen.elements formats ]
    let! count = Gen.choose (1, 4)
    let ranges, _ = layout written
    let! seed = Gen.choose (0, Int32.MaxValue)
    let random = Random(seed)
    let original =
        [| for _ in 1 .. count do
               for range in ranges -> byte (random.Next range)
               let pixels = Array.zeroCreate<byte> 3072
               random.NextBytes pixels
               yield! pixels |]
    let record = written.RecordBytes
    // Labels of any record set to boundary values (9/10, 19/20, 99/100, 255...).
    let labelDamage = Gen.map3 (fun r i v -> Overwrite(r * record + i, [| v |])) (Gen.choose (0, count - 1)) (Gen.choose (0, ranges.Length - 1)) byteValue
    // Lengths one record boundary away, or a byte off one.
    let sizeDamage =
        Gen.oneof [ Gen.map2 (fun r d -> Truncate(r * record + d)) (Gen.choose (0, count)) (Gen.choose (-2, 2))
                    Gen.choose (1, 3) |> Gen.map (fun n -> Append(Array.zeroCreate n)) ]
    let! damage =
        Gen.frequency
            [ 1, Gen.constant []
              4, damages original.Length
              3, Gen.listOf labelDamage |> Gen.map (List.truncate 3) |> Gen.where (not << List.isEmpty)
              2, sizeDamage |> Gen.map List.singleton ]
    return { Written = written; ReadAs = readAs; Original = original; Damage = damage }
}

[<Fact>]
let ``fuzzed CIFAR-10 and CIFAR-100 files are read exactly or refused cleanly`` () =
    use folder = new FuzzFolder()
    let tally = Tally("cifar", "cifar")
    fuzz tally 1000 cifarCase (fun index c ->
        let file = applyAll c.Original c.Damage
        let path = folder.Write(sprintf "case%d.bin" index, file)
        let length = int64 file.Length
        let expect =
            { Expected = parseCifar c.ReadAs file
              // The pixels (at most the file), the labels (4 bytes per 3073) and a bounce buffer no larger than the file.
              AllocationLimit = 3L * length + 64L * 1024L
              MaxOffset = length }
        let outcome =
            attempt (fun () -> let r = CifarFile.Read(path, c.ReadAs) in { Labels = r.Labels; Pixels = r.Pixels })
        let verdict, allocated = judge (fun () -> string c) path expect sameCifar formatError outcome
        match outcome with
        | Hung -> ()
        | _ -> File.Delete path
        verdict, allocated)
    tally.Finish()
