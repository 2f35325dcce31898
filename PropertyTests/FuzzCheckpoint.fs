/// Fuzzing the checkpoint reader (Graph/Checkpoints/CheckpointFile): valid checkpoints written by
/// CheckpointFile.Write (and CheckpointFile.Save), then damaged. Three kinds of damage:
///   - corruption as a disk or a download does it (the SHA-256 trailer then no longer matches);
///   - the same damage with the SHA-256 recomputed, so the parser behind the checksum is exercised;
///   - crafted files, checksummed, whose count, size and shape fields lie (2^30 variables, a 2^40-byte
///     tensor, shapes whose byte size overflows 64 bits, unknown dtypes, duplicate names...).
/// Every case must read exactly what an independent reference parser reads, or be refused with a
/// CheckpointException naming the file and an offset inside it; never another exception, never a
/// hang, never an allocation beyond a small multiple of the file.
module FuzzCheckpoint

open System
open System.IO
open System.Buffers.Binary
open System.Security.Cryptography
open System.Text
open Xunit
open FsCheck
open FsCheck.FSharp
open StaticGraph
open StaticGraph.Ops
open StaticGraph.Backend
open StaticGraph.Backend.Cpu
open StaticGraph.Checkpoints
open FuzzSupport

// ---------------------------------------------------------------------------------------------
// The format, written field by field (for crafted files and to know where each field sits)

/// One variable record; every field is written as given, consistent or not.
type VarSpec =
    { Name: byte[]
      /// The name's length field, when it should lie.
      NameLength: int option
      DType: byte
      /// The rank byte, when it should lie about the number of dimensions that follow.
      Rank: int option
      Dims: int[]
      /// The byte-count field.
      Length: uint64
      Bytes: byte[] }

/// A whole checkpoint body (everything before the SHA-256).
type Spec =
    { Magic: byte[]
      Version: uint32
      Step: int64
      Seed: uint64
      Epoch: int
      MetaCount: uint32 option
      Meta: (byte[] * byte[]) list
      VarCount: uint32 option
      Vars: VarSpec list }

/// The body bytes of a spec, and the (position, width) of every numeric field in it.
let private serialize (s: Spec) =
    use body = new MemoryStream()
    use w = new BinaryWriter(body)
    let fields = ResizeArray<int * int>()
    let field width (write: unit -> unit) =
        w.Flush()
        fields.Add(int body.Position, width)
        write ()
    w.Write s.Magic
    field 4 (fun () -> w.Write s.Version)
    field 8 (fun () -> w.Write s.Step)
    field 8 (fun () -> w.Write s.Seed)
    field 4 (fun () -> w.Write s.Epoch)
    field 4 (fun () -> w.Write(defaultArg s.MetaCount (uint32 s.Meta.Length)))
    for key, value in s.Meta do
        field 2 (fun () -> w.Write(uint16 key.Length))
        w.Write key
        field 2 (fun () -> w.Write(uint16 value.Length))
        w.Write value
    field 4 (fun () -> w.Write(defaultArg s.VarCount (uint32 s.Vars.Length)))
    for v in s.Vars do
        field 2 (fun () -> w.Write(uint16 (defaultArg v.NameLength v.Name.Length)))
        w.Write v.Name
        field 1 (fun () -> w.Write v.DType)
        field 1 (fun () -> w.Write(byte (defaultArg v.Rank v.Dims.Length)))
        for d in v.Dims do
            field 4 (fun () -> w.Write d)
        field 8 (fun () -> w.Write v.Length)
        w.Write v.Bytes
    w.Flush()
    body.ToArray(), List.ofSeq fields

/// A body followed by its SHA-256, as the format ends.
let private sign (body: byte[]) = Array.append body (SHA256.HashData body)

let private utf8 (s: string) = Encoding.UTF8.GetBytes s

/// The spec of what CheckpointFile.Write writes for <c>data</c> (metadata sorted by key, ordinal).
let private specOf (data: CheckpointData) =
    { Magic = utf8 "SGCKPT01"
      Version = 1u
      Step = data.Step
      Seed = data.Seed
      Epoch = data.Epoch
      MetaCount = None
      Meta =
        data.Metadata
        |> Seq.sortWith (fun a b -> String.CompareOrdinal(a.Key, b.Key))
        |> Seq.map (fun kv -> utf8 kv.Key, utf8 kv.Value)
        |> List.ofSeq
      VarCount = None
      Vars =
        [ for v in data.Variables ->
              { Name = utf8 v.Name; NameLength = None; DType = byte v.Type.DType; Rank = None
                Dims = Seq.toArray v.Type.Shape; Length = uint64 v.Bytes.Length; Bytes = v.Bytes } ] }

// ---------------------------------------------------------------------------------------------
// Reference: an independent reading of the format, with exact (unbounded) arithmetic on sizes

/// A checkpoint as the reference reads it.
type View =
    { Step: int64
      Seed: uint64
      Epoch: int
      Meta: (string * string) list
      Vars: (string * int * int[] * byte[]) list }

/// Bytes per element of dtype codes 0..4 (F32, F64, F16, BF16, I32); None for unknown codes.
let private elementSize code =
    match code with
    | 0 | 4 -> Some 4
    | 1 -> Some 8
    | 2 | 3 -> Some 2
    | _ -> None

let private sortedMeta (pairs: seq<string * string>) =
    pairs |> Seq.sortWith (fun (a, _) (b, _) -> String.CompareOrdinal(a, b)) |> List.ofSeq

/// Reads a checkpoint the naive way: every field in order, any shortfall or inconsistency is None.
/// Sizes are exact (a byte count must equal the true product of the dimensions and the element size, and
/// the file must hold that many bytes); a variable name may appear once; a repeated metadata key is
/// tolerated, the last value winning, as CheckpointFile.Read does today.
let private parse (file: byte[]) : View option =
    let hashBytes = 32
    if file.Length < 8 + hashBytes || file[..7] <> utf8 "SGCKPT01" then None
    else
        let body = file[.. file.Length - hashBytes - 1]
        if SHA256.HashData body <> file[file.Length - hashBytes ..] then None
        else
            let mutable at = 8
            let take n =
                if n < 0L || int64 at + n > int64 body.Length then None
                else
                    let bytes = body[at .. at + int n - 1]
                    at <- at + int n
                    Some bytes
            let u8 () = take 1L |> Option.map (fun b -> int b[0])
            let u16 () = take 2L |> Option.map (fun b -> int (BinaryPrimitives.ReadUInt16LittleEndian b))
            let u32 () = take 4L |> Option.map (fun b -> BinaryPrimitives.ReadUInt32LittleEndian b)
            let i32 () = take 4L |> Option.map (fun b -> BinaryPrimitives.ReadInt32LittleEndian b)
            let u64 () = take 8L |> Option.map (fun b -> BinaryPrimitives.ReadUInt64LittleEndian b)
            let text () = u16 () |> Option.bind (fun n -> take (int64 n)) |> Option.map Encoding.UTF8.GetString
            let rec repeat n (one: unit -> 'T option) acc =
                if n = 0L then Some(List.rev acc)
                else
                    match one () with
                    | Some x -> repeat (n - 1L) one (x :: acc)
                    | None -> None
            let variable () =
                match text (), u8 () with
                | Some name, Some code when (elementSize code).IsSome ->
                    match u8 () with
                    | Some rank when rank <= 8 ->
                        match repeat (int64 rank) i32 [] with
                        | Some dims when dims |> List.forall (fun d -> d > 0) ->
                            let size = dims |> List.fold (fun n d -> n * bigint d) (bigint (elementSize code).Value)
                            match u64 () with
                            | Some length when bigint length = size ->
                                take (int64 length) |> Option.map (fun bytes -> name, code, Array.ofList dims, bytes)
                            | _ -> None
                        | _ -> None
                    | _ -> None
                | _ -> None
            let version = u32 ()
            let step = take 8L |> Option.map (fun b -> BinaryPrimitives.ReadInt64LittleEndian b)
            let seed = u64 ()
            let epoch = i32 ()
            match version, step, seed, epoch with
            | Some 1u, Some step, Some seed, Some epoch ->
                let meta =
                    u32 () |> Option.bind (fun n ->
                        repeat (int64 n) (fun () -> match text (), text () with
                                                    | Some k, Some v -> Some(k, v)
                                                    | _ -> None) [])
                match meta with
                | None -> None
                | Some pairs ->
                    // Repeated keys: the last one wins, as a dictionary filled in file order would.
                    let meta = pairs |> List.fold (fun (m: Map<string, string>) (k, v) -> m.Add(k, v)) Map.empty
                    // A variable named twice is malformed: which value would a program get? (Load cannot tell either.)
                    let distinct (vars: (string * int * int[] * byte[]) list) =
                        vars |> List.map (fun (n, _, _, _) -> n) |> List.distinct |> List.length = vars.Length
                    match u32 () |> Option.bind (fun n -> repeat (int64 n) variable []) with
                    | Some vars when at = body.Length && distinct vars ->
                        Some { Step = step; Seed = seed; Epoch = epoch
                               Meta = sortedMeta (Map.toSeq meta); Vars = vars }
                    | _ -> None
            | _ -> None

/// A CheckpointData seen as a View.
let private view (data: CheckpointData) =
    { Step = data.Step
      Seed = data.Seed
      Epoch = data.Epoch
      Meta = sortedMeta (data.Metadata |> Seq.map (fun kv -> kv.Key, kv.Value))
      Vars = [ for v in data.Variables -> v.Name, int v.Type.DType, Seq.toArray v.Type.Shape, v.Bytes ] }

let private sameView (expected: View) (actual: View) =
    if expected = actual then None
    else
        let describe (name, code, dims: int[], bytes: byte[]) = sprintf "'%s' code %d %A with %d bytes" name code dims bytes.Length
        Some(sprintf "read step %d, %d metadata, variables [%s]; the reference reads step %d, %d metadata, variables [%s]"
                 actual.Step actual.Meta.Length (actual.Vars |> List.map describe |> String.concat "; ")
                 expected.Step expected.Meta.Length (expected.Vars |> List.map describe |> String.concat "; "))

let private checkpointError (e: exn) =
    match e with
    | :? CheckpointException as c -> Some(c.FilePath, c.ByteOffset, false)
    | _ -> None

/// The reference's verdict and the bounds on a read of <c>file</c>.
let private expectation (file: byte[]) =
    let length = int64 file.Length
    { Expected = parse file
      // The file, the body copy, the variables' bytes, their names as UTF-16 and a few small objects per
      // variable (each takes at least 12 bytes of the file): a file full of tiny variables costs the most.
      AllocationLimit = 24L * length + 64L * 1024L
      MaxOffset = length }

/// Reads one fuzzed checkpoint through CheckpointFile.Read and judges the outcome.
let private checkRead (folder: FuzzFolder) (index: int) (what: unit -> string) (file: byte[]) =
    let path = folder.Write(sprintf "case%d.ckpt" index, file)
    let outcome = attempt (fun () -> view (CheckpointFile.Read path))
    let verdict, allocated = judge what path (expectation file) sameView checkpointError outcome
    match outcome with
    | Hung -> ()
    | _ -> File.Delete path
    verdict, allocated

// ---------------------------------------------------------------------------------------------
// Valid checkpoints

let private dtypes = [ DType.F32; DType.F64; DType.F16; DType.BF16; DType.I32 ]

let private word =
    Gen.oneof [ Gen.elements [ "conv.weight"; "fc.bias"; "bn.running_var"; "sgd.momentum"; "é"; "層"; "a b"; "" ]
                Gen.choose (0, 6) |> Gen.bind (fun n -> Gen.arrayOfLength n (Gen.choose (33, 126)))
                |> Gen.map (fun cs -> String(Array.map char cs)) ]

/// A small valid checkpoint: up to 3 metadata pairs and 1 to 4 variables of rank 0 to 3.
let private validData = gen {
    let! step = Gen.choose64 (0L, Int64.MaxValue)
    let! seed = Gen.choose64 (0L, Int64.MaxValue) |> Gen.map uint64
    let! epoch = Gen.choose (0, 500)
    let! keys = Gen.listOf word |> Gen.map (List.truncate 3 >> List.distinct)
    let! values = Gen.listOfLength keys.Length word
    let! count = Gen.choose (1, 4)
    let! vars =
        Gen.listOfLength count (gen {
            let! suffix = word
            let! dtype = Gen.elements dtypes
            let! rank = Gen.choose (0, 3)
            let! dims = Gen.arrayOfLength rank (Gen.choose (1, 4))
            let! fill = Gen.choose (0, Int32.MaxValue)
            return suffix, dtype, dims, fill })
    let variables =
        vars |> List.mapi (fun i (suffix, dtype, dims, fill) ->
            let t = TensorType(dtype, Shape(dims))
            let bytes = Array.zeroCreate<byte> (int t.SizeInBytes)
            Random(fill).NextBytes bytes
            SavedVariable(sprintf "v%d.%s" i suffix, t, bytes))
    let metadata = System.Collections.Generic.Dictionary<string, string>(StringComparer.Ordinal)
    List.iter2 (fun k v -> metadata[k] <- v) keys values
    return CheckpointData(step, seed, epoch, metadata, ResizeArray variables)
}

/// The bytes CheckpointFile.Write writes for <c>data</c>; checks on the way that the spec writer
/// above agrees with it byte for byte (else the field positions the fuzzer aims at would be wrong).
let private written (folder: FuzzFolder) (index: int) (data: CheckpointData) =
    let path = Path.Combine(folder.Path, sprintf "base%d.ckpt" index)
    CheckpointFile.Write(path, data)
    let file = File.ReadAllBytes path
    File.Delete path
    let spec = specOf data
    let body, fields = serialize spec
    if sign body <> file then
        failwithf "the test's serializer disagrees with CheckpointFile.Write for %A" spec
    file, spec, fields

// ---------------------------------------------------------------------------------------------
// Damage

/// A numeric field of a valid file set to a boundary or absurd value.
let private fieldDamage (fields: (int * int) list) = gen {
    let! p, width = Gen.elements fields
    let! value = fieldValue width
    return SetField(p, width, false, value)
}

/// Damage for a file whose fields are known: random damage or lies in the fields.
let private checkpointDamages length fields =
    Gen.frequency
        [ 1, Gen.constant []
          5, damages length
          4, Gen.listOf (fieldDamage fields) |> Gen.map (List.truncate 3) |> Gen.where (not << List.isEmpty)
          2, Gen.map2 (fun a b -> [ a; b ]) (fieldDamage fields) (damage length) ]

type DamageCase =
    { Data: CheckpointData
      Damage: Mutation list
      /// Recompute the SHA-256 after damaging the body (else the damage hits the whole file, trailer included).
      Resign: bool }

let private damageCase resign = gen {
    let! data = validData
    let body, fields = serialize (specOf data)
    let! damage = checkpointDamages (if resign then body.Length else body.Length + 32) fields
    return { Data = data; Damage = damage; Resign = resign }
}

let private describeDamage (c: DamageCase) =
    sprintf "%s, %d variables: %s" (if c.Resign then "re-signed damage" else "corruption") c.Data.Variables.Count
        (if c.Damage.IsEmpty then "unchanged" else c.Damage |> List.map string |> String.concat "; ")

[<Fact>]
let ``corrupted checkpoints are refused by their checksum or read unchanged`` () =
    use folder = new FuzzFolder()
    let tally = Tally("checkpoint corrupted", "checkpoint")
    fuzz tally 800 (damageCase false) (fun i c ->
        let file, _, _ = written folder i c.Data
        let damaged = applyAll file c.Damage
        let result = checkRead folder i (fun () -> describeDamage c) damaged
        // The only checkpoint a damaged file may read as is the original one, when the damage changed nothing.
        match result with
        | Ok true, allocated when damaged <> file ->
            violation "read a corrupted file" (describeDamage c) "the checksum did not stop it", allocated
        | _ -> result)
    tally.Finish()

[<Fact>]
let ``damaged checkpoints with a recomputed checksum are read exactly or refused cleanly`` () =
    use folder = new FuzzFolder()
    let tally = Tally("checkpoint re-signed", "checkpoint")
    fuzz tally 1000 (damageCase true) (fun i c ->
        let file, _, _ = written folder i c.Data
        let body = file[.. file.Length - 33]
        checkRead folder i (fun () -> describeDamage c) (sign (applyAll body c.Damage)))
    tally.Finish()

// ---------------------------------------------------------------------------------------------
// Crafted lies, checksummed

/// Dimension sizes that make byte counts huge or overflow: 2^19 x 2^19 f32 is 2^40 bytes,
/// 2^30 x 2^30 x 4 f32 is 2^64 bytes (0 modulo 2^64), 2^31-1 cubed overflows 64 bits.
let private absurdDims =
    Gen.oneof
        [ Gen.elements
            [ [| 1 <<< 19; 1 <<< 19 |]
              [| 1 <<< 30; 1 <<< 30; 4 |]
              [| 1 <<< 30; 1 <<< 30; 2 |]
              [| Int32.MaxValue; Int32.MaxValue; Int32.MaxValue |]
              [| 1 <<< 30; 2 |]
              [| 1 <<< 29 |]
              [| 1 <<< 28; 1 <<< 28; 1 <<< 28; 1 <<< 28 |]
              [| 2; 2; 2; 2; 2; 2; 2; 2; 2 |]
              [| 0 |]
              [| -1; 4 |] ]
          gen {
              let! rank = Gen.choose (1, 9)
              return! Gen.arrayOfLength rank (Gen.elements [ 1; 2; 3; 1 <<< 10; 1 <<< 19; 1 <<< 20; 1 <<< 30; Int32.MaxValue ])
          } ]

/// One lie told by a crafted file.
type Lie =
    | MetaCountLie of uint32
    | VarCountLie of uint32
    | VersionLie of uint32
    /// Variable i claims these dims (and dtype code) with the chosen byte-count field and this many bytes present.
    | TensorLie of var: int * dtype: byte * dims: int[] * lengthChoice: int * present: int
    | DTypeLie of var: int * byte
    | RankLie of var: int * int
    | NameLengthLie of var: int * int
    | DuplicateVariable of var: int
    | DuplicateKey

let private lie varCount =
    let var = Gen.choose (0, varCount - 1)
    Gen.frequency
        [ 2, fieldValue 4 |> Gen.map (uint32 >> MetaCountLie)
          3, Gen.elements [ 1u <<< 30; 0x7FFFFFFFu; 0xFFFFFFFFu; 1u <<< 20; uint32 varCount + 1u; 0u ] |> Gen.map VarCountLie
          1, Gen.elements [ 0u; 2u; 0xFFFFFFFFu ] |> Gen.map VersionLie
          6, gen {
              let! v = var
              let! code = Gen.frequency [ 5, Gen.elements [ 0uy; 1uy; 2uy; 3uy; 4uy ]; 1, Gen.elements [ 5uy; 0xFFuy ] ]
              let! dims = absurdDims
              let! choice = Gen.choose (0, 5)
              let! present = Gen.elements [ 0; 1; 16; 1000 ]
              return TensorLie(v, code, dims, choice, present) }
          1, Gen.map2 (fun v c -> DTypeLie(v, c)) var (Gen.elements [ 5uy; 6uy; 0x80uy; 0xFFuy ])
          1, Gen.map2 (fun v r -> RankLie(v, r)) var (Gen.elements [ 0; 1; 2; 5; 9; 255 ])
          1, Gen.map2 (fun v n -> NameLengthLie(v, n)) var (Gen.elements [ 0; 1; 300; 65535 ])
          1, var |> Gen.map DuplicateVariable
          1, Gen.constant DuplicateKey ]

/// The byte-count field a tensor lie writes: the true size modulo 2^64 (what an unchecked 64-bit product
/// gives), zero, the bytes actually present, 2^40, the true size as a wrapped signed 64-bit, or all ones.
let private lengthField (code: byte) (dims: int[]) (choice: int) (present: int) =
    let size = dims |> Array.fold (fun n d -> n * bigint d) (bigint (defaultArg (elementSize (int code)) 4))
    let wrap = bigint UInt64.MaxValue + 1I
    let modulo = uint64 (((size % wrap) + wrap) % wrap)
    match choice with
    | 0 | 4 -> modulo
    | 1 -> 0UL
    | 2 -> uint64 present
    | 3 -> 1UL <<< 40
    | _ -> UInt64.MaxValue

let private tell (spec: Spec) (l: Lie) =
    let update i f = { spec with Vars = spec.Vars |> List.mapi (fun j v -> if i = j then f v else v) }
    match l with
    | MetaCountLie n -> { spec with MetaCount = Some n }
    | VarCountLie n -> { spec with VarCount = Some n }
    | VersionLie n -> { spec with Version = n }
    | TensorLie(i, code, dims, choice, present) ->
        update i (fun v ->
            { v with DType = code; Dims = dims; Length = lengthField code dims choice present
                     Bytes = Array.init present byte })
    | DTypeLie(i, code) -> update i (fun v -> { v with DType = code })
    | RankLie(i, r) -> update i (fun v -> { v with Rank = Some r })
    | NameLengthLie(i, n) -> update i (fun v -> { v with NameLength = Some n })
    | DuplicateVariable i -> { spec with Vars = spec.Vars @ [ spec.Vars[i] ] }
    | DuplicateKey ->
        match spec.Meta with
        | (k, _) :: _ -> { spec with Meta = spec.Meta @ [ k, utf8 "again" ] }
        | [] -> { spec with Meta = [ utf8 "k", utf8 "1"; utf8 "k", utf8 "2" ] }

type CraftedCase =
    { Spec: Spec
      Lies: Lie list }

let private craftedCase = gen {
    let! data = validData
    let spec = specOf data
    let! n = Gen.choose (1, 2)
    let! lies = Gen.listOfLength n (lie spec.Vars.Length)
    return { Spec = spec; Lies = lies }
}

[<Fact>]
let ``checksummed checkpoints with lying counts, sizes and shapes are refused cleanly`` () =
    use folder = new FuzzFolder()
    let tally = Tally("checkpoint crafted", "checkpoint")
    fuzz tally 1200 craftedCase (fun i c ->
        let body, _ = serialize (List.fold tell c.Spec c.Lies)
        let what () = sprintf "crafted, %d variables: %A" c.Spec.Vars.Length c.Lies
        checkRead folder i what (sign body))
    tally.Finish()

// ---------------------------------------------------------------------------------------------
// Loading into a program

/// A small training program (linear layer, softmax cross-entropy, Nesterov SGD) and its executable.
let private smallProgram () =
    let b = GraphBuilder(DType.F32)
    let x = b.Input("x", DType.F32, 4, 3)
    let y = b.Input("y", DType.I32, 4)
    let loss = b.SoftmaxCrossEntropy(b.Linear(x, 2), y)
    let program = Autodiff.Train(loss, Sgd(Momentum = 0.9, Nesterov = true), Schedule.Constant 0.1)
    program, CpuBackend.Instance.Compile(program, CompileOptions(Seed = 7UL, Threads = 1))

/// A change to a checkpoint of the small program that may make it another graph's.
type Swap =
    | Keep
    | DropVariable of int
    | RepeatVariable of int
    | RenameVariable of int * string
    | RenameToAnother of int * int
    | Reshape of int
    | Retype of int
    | ExtraVariable
    | ResignedDamage of Mutation list

let private swap varCount length =
    let var = Gen.choose (0, varCount - 1)
    Gen.frequency
        [ 1, Gen.constant Keep
          2, var |> Gen.map DropVariable
          2, var |> Gen.map RepeatVariable
          1, Gen.map2 (fun v n -> RenameVariable(v, n)) var word
          2, Gen.map2 (fun a b -> RenameToAnother(a, b)) var var
          2, var |> Gen.map Reshape
          2, var |> Gen.map Retype
          1, Gen.constant ExtraVariable
          3, damages length |> Gen.map ResignedDamage ]

let private removeAt i xs = xs |> List.indexed |> List.filter (fun (j, _) -> j <> i) |> List.map snd

let private updateAt i x xs = xs |> List.mapi (fun j y -> if j = i then x else y)

let private swapBody (spec: Spec) (s: Swap) =
    let vars = spec.Vars
    let withVars vs = fst (serialize { spec with Vars = vs })
    match s with
    | Keep -> withVars vars
    | DropVariable i -> withVars (vars |> removeAt i)
    | RepeatVariable i -> withVars (vars @ [ vars[i] ])
    | RenameVariable(i, name) -> withVars (vars |> updateAt i { vars[i] with Name = utf8 name })
    | RenameToAnother(i, j) -> withVars (vars |> updateAt i { vars[i] with Name = vars[j].Name })
    | Reshape i ->
        // One more element in the outermost dimension (or a scalar made a vector of 2): a consistent record of another shape.
        let v = vars[i]
        let dims = if v.Dims.Length = 0 then [| 2 |] else Array.append [| v.Dims[0] + 1 |] v.Dims[1..]
        let size = (Array.fold (*) 1 dims) * (elementSize (int v.DType)).Value
        withVars (vars |> updateAt i { v with Dims = dims; Length = uint64 size; Bytes = Array.zeroCreate size })
    | Retype i ->
        let v = vars[i]
        let code = if v.DType = 1uy then 0uy else 1uy
        let size = (Array.fold (*) 1 v.Dims) * (elementSize (int code)).Value
        withVars (vars |> updateAt i { v with DType = code; Length = uint64 size; Bytes = Array.zeroCreate size })
    | ExtraVariable ->
        withVars (vars @ [ { Name = utf8 "extra"; NameLength = None; DType = 0uy; Rank = None; Dims = [| 1 |]; Length = 4UL; Bytes = Array.zeroCreate 4 } ])
    | ResignedDamage ms -> applyAll (fst (serialize spec)) ms

[<Fact>]
let ``checkpoints of another graph or damaged ones are refused by Load before anything is written`` () =
    use folder = new FuzzFolder()
    let tally = Tally("checkpoint load", "checkpoint")
    let program, exe = smallProgram ()
    use exe = exe
    let basePath = Path.Combine(folder.Path, "base.ckpt")
    CheckpointFile.Save(basePath, exe, program, 3, readOnlyDict [ "model", "linear" ], 7UL)
    let spec = specOf (CheckpointFile.Read basePath)
    let bodyLength = (fst (serialize spec)).Length
    let expectedTypes =
        program.Variables |> Seq.map (fun v -> v.Name, (int v.Type.DType, Seq.toArray v.Type.Shape)) |> Map.ofSeq
    fuzz tally 300 (swap spec.Vars.Length bodyLength) (fun i s ->
        let file = sign (swapBody spec s)
        let path = folder.Write(sprintf "case%d.ckpt" i, file)
        let what () = sprintf "Load after %A" s
        let reference = parse file
        // Load must succeed exactly when the file is well-formed and holds each variable once, with the program's type.
        let loadable =
            reference |> Option.filter (fun r ->
                let names = r.Vars |> List.map (fun (n, _, _, _) -> n)
                List.distinct names = names
                && names.Length = expectedTypes.Count
                && r.Vars |> List.forall (fun (n, code, dims, _) -> Map.tryFind n expectedTypes = Some(code, dims)))
        let expect = { expectation file with Expected = loadable }
        let outcome = attempt (fun () -> view (CheckpointFile.Load(path, exe, program)))
        let verdict, allocated = judge what path expect sameView checkpointError outcome
        let verdict =
            match verdict, loadable with
            | Ok true, Some r ->
                // Loaded: the executable now holds exactly the file's bytes.
                r.Vars |> List.tryPick (fun (n, _, _, bytes) -> if exe.ReadVariableBytes n <> bytes then Some n else None)
                |> Option.map (fun n -> violation "loaded wrong bytes" (what ()) (sprintf "variable '%s' does not hold the file's bytes" n))
                |> Option.defaultValue verdict
            | _ -> verdict
        match outcome with
        | Hung -> ()
        | _ -> File.Delete path
        verdict, allocated)
    tally.Finish()

// ---------------------------------------------------------------------------------------------
// The lies the fuzzer found, one minimal file each

/// A valid two-variable checkpoint spec to tell lies in.
let private twoVariables () =
    let variable name (values: byte[]) =
        { Name = utf8 name; NameLength = None; DType = 0uy; Rank = None; Dims = [| values.Length / 4 |]
          Length = uint64 values.Length; Bytes = values }
    { Magic = utf8 "SGCKPT01"; Version = 1u; Step = 12L; Seed = 3UL; Epoch = 1; MetaCount = None
      Meta = [ utf8 "model", utf8 "tiny" ]; VarCount = None
      Vars = [ variable "a" (Array.init 8 byte); variable "b" (Array.init 12 byte) ] }

/// Reads a checksummed file made from <c>spec</c> and fails unless CheckpointFile.Read refuses it cleanly.
let private mustRefuse (spec: Spec) =
    use folder = new FuzzFolder()
    let file = sign (fst (serialize spec))
    let path = folder.Write("lie.ckpt", file)
    match judge (fun () -> "minimal case") path { expectation file with Expected = None } sameView checkpointError
              (attempt (fun () -> view (CheckpointFile.Read path))) with
    | Ok _, _ -> ()
    | Error v, _ -> failwith v.Detail

[<Fact>]
let ``a checkpoint claiming 2^30 variables is refused`` () =
    mustRefuse { twoVariables () with VarCount = Some(1u <<< 30) }

[<Fact>]
let ``a checkpoint claiming 2^30 metadata entries is refused`` () =
    mustRefuse { twoVariables () with MetaCount = Some(1u <<< 30) }

[<Fact>]
let ``a checkpoint claiming a 2^40-byte tensor that it does not hold is refused`` () =
    // f32[524288,524288] is 2^40 bytes; the byte count says so truthfully, but no bytes follow.
    let spec = twoVariables ()
    let huge = { spec.Vars[0] with Dims = [| 1 <<< 19; 1 <<< 19 |]; Length = 1UL <<< 40; Bytes = [||] }
    mustRefuse { spec with Vars = [ huge; spec.Vars[1] ] }

[<Fact>]
let ``a checkpoint whose tensor size overflows 64 bits is refused`` () =
    let spec = twoVariables ()
    let huge = { spec.Vars[0] with Dims = [| Int32.MaxValue; Int32.MaxValue; Int32.MaxValue |]; Length = 0UL; Bytes = [||] }
    mustRefuse { spec with Vars = [ huge; spec.Vars[1] ] }

[<Fact>]
let ``a checkpoint whose tensor byte count is 2^64 (0 modulo 2^64) is refused`` () =
    // f32[2^30,2^30,4]: 2^62 elements fit a long, their 2^64 bytes wrap to 0, which the byte-count field then matches.
    let spec = twoVariables ()
    let huge = { spec.Vars[0] with Dims = [| 1 <<< 30; 1 <<< 30; 4 |]; Length = 0UL; Bytes = [||] }
    mustRefuse { spec with Vars = [ huge; spec.Vars[1] ] }

[<Fact>]
let ``Load refuses a checkpoint that holds a variable twice with a CheckpointException`` () =
    use folder = new FuzzFolder()
    let program, exe = smallProgram ()
    use exe = exe
    let basePath = Path.Combine(folder.Path, "base.ckpt")
    CheckpointFile.Save(basePath, exe, program, 0)
    let spec = specOf (CheckpointFile.Read basePath)
    let path = folder.Write("twice.ckpt", sign (fst (serialize { spec with Vars = spec.Vars @ [ spec.Vars[0] ] })))
    let outcome = attempt (fun () -> CheckpointFile.Load(path, exe, program) |> ignore)
    match outcome with
    | Threw(:? CheckpointException as e, _) when e.Message.StartsWith(path + ": at byte ") -> ()
    | Threw(e, _) -> failwithf "threw %s: %s" (e.GetType().FullName) e.Message
    | Returned _ -> failwith "loaded a checkpoint that names a variable twice"
    | Hung -> failwith "hung"
