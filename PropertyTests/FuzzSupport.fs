/// Shared machinery of the file-format fuzzers (FuzzReaders, FuzzCheckpoint): byte-level mutations,
/// a harness that runs one read under a timeout while measuring what it allocates, and a tally that
/// judges every outcome and prints how many cases ran.
module FuzzSupport

open System
open System.Buffers.Binary
open System.Collections.Concurrent
open System.Diagnostics
open System.IO
open System.Threading.Tasks
open FsCheck
open FsCheck.FSharp

// ---------------------------------------------------------------------------------------------
// Mutations

/// One change to a file's bytes. Positions past the end are clamped, so any mutation applies to any file.
type Mutation =
    /// Keep only the first n bytes.
    | Truncate of length: int
    | FlipBit of position: int * bit: int
    | Overwrite of position: int * bytes: byte[]
    | Insert of position: int * bytes: byte[]
    | Delete of position: int * count: int
    | Append of bytes: byte[]
    /// Write a 1-, 2-, 4- or 8-byte field (a count, a size, a length) in the given byte order.
    | SetField of position: int * width: int * bigEndian: bool * value: uint64

    override m.ToString() =
        let hex (b: byte[]) =
            if b.Length <= 12 then Convert.ToHexString b else sprintf "%s... (%d bytes)" (Convert.ToHexString b[..11]) b.Length
        match m with
        | Truncate n -> sprintf "truncate to %d bytes" n
        | FlipBit(p, b) -> sprintf "flip bit %d of byte %d" b p
        | Overwrite(p, b) -> sprintf "overwrite at %d with %s" p (hex b)
        | Insert(p, b) -> sprintf "insert at %d %s" p (hex b)
        | Delete(p, n) -> sprintf "delete %d bytes at %d" n p
        | Append b -> sprintf "append %s" (hex b)
        | SetField(p, w, be, v) -> sprintf "set the %d-byte %s field at %d to %d (0x%X)" w (if be then "big-endian" else "little-endian") p v v

/// The file after one mutation.
let apply (bytes: byte[]) (m: Mutation) : byte[] =
    let clamp p = max 0 (min p bytes.Length)
    match m with
    | Truncate n -> bytes[.. clamp n - 1]
    | FlipBit(p, bit) ->
        let copy = Array.copy bytes
        if copy.Length > 0 then
            let p = min p (copy.Length - 1)
            copy[p] <- copy[p] ^^^ (1uy <<< bit)
        copy
    | Overwrite(p, b) ->
        let copy = Array.copy bytes
        let p = clamp p
        let n = min b.Length (copy.Length - p)
        Array.blit b 0 copy p n
        copy
    | Insert(p, b) -> Array.concat [ bytes[.. clamp p - 1]; b; bytes[clamp p ..] ]
    | Delete(p, n) -> Array.append bytes[.. clamp p - 1] bytes[clamp (p + n) ..]
    | Append b -> Array.append bytes b
    | SetField(p, width, bigEndian, value) ->
        let copy = Array.copy bytes
        let field = Array.zeroCreate<byte> 8
        if bigEndian then BinaryPrimitives.WriteUInt64BigEndian(field.AsSpan(), value <<< (8 * (8 - width)))
        else BinaryPrimitives.WriteUInt64LittleEndian(field.AsSpan(), value)
        let p = clamp p
        Array.blit field 0 copy p (min width (copy.Length - p))
        copy

/// The file after several mutations, in order.
let applyAll (bytes: byte[]) (ms: Mutation list) = List.fold apply bytes ms

/// A byte: arbitrary, or one of the values format checks usually hinge on.
let byteValue =
    Gen.frequency [ 3, Gen.choose (0, 255) |> Gen.map byte
                    2, Gen.elements [ 0uy; 1uy; 8uy; 9uy; 10uy; 19uy; 20uy; 99uy; 100uy; 0x1Fuy; 0x7Fuy; 0x80uy; 0x8Buy; 0xFEuy; 0xFFuy ] ]

/// A short run of bytes (1 to max).
let someBytes max = gen {
    let! n = Gen.choose (1, max)
    return! Gen.arrayOfLength n byteValue
}

/// A value for a field of the given width: boundaries, powers of two and absurd sizes, often; any value, sometimes.
let fieldValue width =
    let mask = if width = 8 then UInt64.MaxValue else (1UL <<< (8 * width)) - 1UL
    let special =
        [ 0UL; 1UL; 2UL; 3UL; 7UL; 8UL; 255UL; 256UL; 65535UL; 65536UL; 1UL <<< 20; 1UL <<< 24; 1UL <<< 28
          1UL <<< 30; 0x7FFFFFFFUL; 0x80000000UL; 0xFFFFFFFFUL; 1UL <<< 32; 1UL <<< 40; 1UL <<< 62
          0x7FFFFFFFFFFFFFFFUL; 0x8000000000000000UL; UInt64.MaxValue ]
        |> List.map (fun v -> v &&& mask) |> List.distinct
    Gen.frequency [ 4, Gen.elements special
                    1, Gen.choose64 (0L, Int64.MaxValue) |> Gen.map (fun v -> uint64 v &&& mask) ]

/// A position in a file of the given length, biased towards the start where headers live.
let position length =
    let last = max 0 (length - 1)
    Gen.frequency [ 3, Gen.choose (0, min last 63); 2, Gen.choose (0, last) ]

/// One random damage to a file of the given length: what disks, downloads and bad tools do.
let damage length = gen {
    let p = position length
    return!
        Gen.frequency
            [ 3, Gen.choose (0, max 0 (length - 1)) |> Gen.map Truncate
              4, Gen.map2 (fun p b -> FlipBit(p, b)) p (Gen.choose (0, 7))
              4, Gen.map2 (fun p b -> Overwrite(p, b)) p (someBytes 8)
              1, Gen.map2 (fun p b -> Insert(p, b)) p (someBytes 16)
              1, Gen.map2 (fun p n -> Delete(p, n)) p (Gen.choose (1, 16))
              1, someBytes 32 |> Gen.map Append ]
}

/// One to three damages (each drawn for the length the file has at that point is not tracked: positions are clamped).
let damages length = gen {
    let! n = Gen.frequency [ 6, Gen.constant 1; 3, Gen.constant 2; 1, Gen.constant 3 ]
    return! Gen.listOfLength n (damage length)
}

// ---------------------------------------------------------------------------------------------
// Running one case

/// How one read ended.
type Attempt<'T> =
    | Returned of value: 'T * allocated: int64
    | Threw of error: exn * allocated: int64
    | Hung

/// Longest a single read may take before the case counts as a hang.
let caseTimeout = TimeSpan.FromSeconds 10.0

/// Runs <c>read</c> on a pool thread, bounded by <c>caseTimeout</c>, measuring the bytes it allocates
/// (on its own thread, so other tests running in parallel do not count).
let attempt (read: unit -> 'T) : Attempt<'T> =
    let work =
        Task.Run(fun () ->
            let before = GC.GetAllocatedBytesForCurrentThread()
            try
                let value = read ()
                Returned(value, GC.GetAllocatedBytesForCurrentThread() - before)
            with e ->
                Threw(e, GC.GetAllocatedBytesForCurrentThread() - before))
    if work.Wait caseTimeout then work.Result else Hung

// ---------------------------------------------------------------------------------------------
// Judging and counting

/// Running totals of every fuzzer in this test run, for the final summary line.
let private totals = ConcurrentDictionary<string, int>()

/// Violations found by every fuzzer of this test run.
let private violationTotal = [| 0 |]

/// Adds a family's case and violation counts to the run's totals.
let private addTotal family n violations =
    totals.AddOrUpdate(family, n, fun _ old -> old + n) |> ignore
    Threading.Interlocked.Add(&violationTotal[0], violations) |> ignore

/// One line summarising every fuzzer that ran, e.g.
/// "fuzz: 4000 cases (idx 1200, cifar 800, checkpoint 2000), all refused cleanly or read".
let summaryLine () =
    let parts = totals |> Seq.sortBy (fun kv -> kv.Key) |> Seq.map (fun kv -> sprintf "%s %d" kv.Key kv.Value) |> String.concat ", "
    let verdict = if violationTotal[0] = 0 then "all refused cleanly or read" else sprintf "%d VIOLATIONS (see the failed tests)" violationTotal[0]
    sprintf "fuzz: %d cases (%s), %s" (totals.Values |> Seq.sum) parts verdict

/// A broken contract: its kind (for grouping, e.g. "threw System.OverflowException") and the case in full.
type Violation = { Kind: string; Detail: string }

/// A violation of the given kind for the case described by <c>what</c>.
let violation kind (what: string) detail = Error { Kind = kind; Detail = sprintf "%s: %s" what detail }

/// Counts and judges the cases of one fuzzer; <c>family</c> groups it in the summary (idx, cifar, checkpoint).
type Tally(name: string, family: string) =
    let watch = Stopwatch.StartNew()
    let violations = ConcurrentQueue<Violation>()
    let mutable cases = 0
    let mutable read = 0
    let mutable refused = 0
    let mutable maxAllocated = 0L

    /// Records a finished case: read, refused, or a violation.
    member _.Record(outcome: Result<bool, Violation>, allocated: int64) =
        cases <- cases + 1
        maxAllocated <- max maxAllocated allocated
        match outcome with
        | Ok true -> read <- read + 1
        | Ok false -> refused <- refused + 1
        | Error v -> violations.Enqueue v

    /// Prints the fuzzer's line and fails if any case broke the contract,
    /// listing each kind of violation with its count and a few examples.
    member _.Finish() =
        addTotal family cases violations.Count
        let seconds = watch.Elapsed.TotalSeconds
        let verdict =
            if violations.IsEmpty then "all refused cleanly or read"
            else sprintf "%d VIOLATIONS" violations.Count
        let line =
            sprintf "fuzz %s: %d cases (%d read, %d refused) in %.1f s, at most %d bytes allocated by one read; %s"
                name cases read refused seconds maxAllocated verdict
        // Console.Out is not captured per test by this runner, so the line shows in the run's output.
        Console.Out.WriteLine line
        Console.Out.Flush()
        if not violations.IsEmpty then
            let kinds =
                violations
                |> Seq.groupBy (fun v -> v.Kind)
                |> Seq.sortByDescending (fun (_, vs) -> Seq.length vs)
                |> Seq.map (fun (kind, vs) ->
                    let examples = vs |> Seq.truncate 3 |> Seq.map (fun v -> "      e.g. " + v.Detail) |> String.concat "\n"
                    sprintf "  %d x %s\n%s" (Seq.length vs) kind examples)
                |> String.concat "\n"
            failwithf "%s\n%s" line kinds

/// A value printed on one line of at most 400 characters.
let brief (value: 'T) =
    let text = Text.RegularExpressions.Regex.Replace(sprintf "%A" value, @"\s+", " ")
    if text.Length <= 400 then text else text[..399] + "..."

/// What one fuzzed file must satisfy once read.
type Expectation<'T> =
    { /// Reference decision: Some value when the file is well-formed, None when it must be refused.
      Expected: 'T option
      /// Bytes the read may allocate.
      AllocationLimit: int64
      /// Largest byte offset a refusal may name (file length, or decompressed length for gzip).
      MaxOffset: int64 }

/// Judges one attempt: a read must match the reference, a refusal must be the expected exception type
/// whose message names the file and an offset within bounds, and allocation must stay within the limit.
let judge
    (what: unit -> string)
    (path: string)
    (expect: Expectation<'T>)
    (same: 'T -> 'T -> string option)
    (refusal: exn -> (string * int64 * bool) option)
    (outcome: Attempt<'T>)
    : Result<bool, Violation> * int64 =
    let fail kind detail = violation kind (what ()) detail
    match outcome with
    | Hung -> fail "hang" (sprintf "no answer within %O" caseTimeout), 0L
    | Returned(_, allocated)
    | Threw(_, allocated) when allocated > expect.AllocationLimit ->
        fail "allocated too much" (sprintf "allocated %d bytes, more than the limit of %d" allocated expect.AllocationLimit), allocated
    | Returned(actual, allocated) ->
        match expect.Expected with
        | None -> fail "read a file that must be refused" ("got " + brief actual), allocated
        | Some expected ->
            match same expected actual with
            | Some difference -> fail "read differently from the reference" difference, allocated
            | None -> Ok true, allocated
    | Threw(error, allocated) ->
        match refusal error with
        | None -> fail ("threw " + error.GetType().FullName) error.Message, allocated
        | Some(file, offset, decompressed) ->
            let where = if decompressed then sprintf "at decompressed byte %d: " offset else sprintf "at byte %d: " offset
            if file <> path then fail "error names another file" file, allocated
            elif not (error.Message.StartsWith(path + ": " + where, StringComparison.Ordinal)) then
                fail "message lacks the file and offset" error.Message, allocated
            elif offset < 0L || offset > expect.MaxOffset then
                fail "offset outside the file" (sprintf "offset %d is outside 0..%d: %s" offset expect.MaxOffset error.Message), allocated
            else
                match expect.Expected with
                | Some _ -> fail "refused a valid file" error.Message, allocated
                | None -> Ok false, allocated

/// Runs <c>cases</c> FsCheck-generated cases through <c>check</c>, which returns the case's verdict
/// and the bytes it allocated, and records each in <c>tally</c>.
/// The property never fails by itself: every violation is collected and reported at the end, so one run
/// shows every kind of failure rather than the first.
let fuzz (tally: Tally) (cases: int) (generator: Gen<'Case>) (check: int -> 'Case -> Result<bool, Violation> * int64) =
    let seed = Random.Shared.NextInt64(Int64.MaxValue)
    let mutable index = 0
    let property =
        Prop.forAll (Arb.fromGen generator) (fun case ->
            index <- index + 1
            let verdict, allocated =
                try check index case
                with e -> violation "the test harness failed" (string case) (string e), 0L
            let verdict = verdict |> Result.mapError (fun v -> { v with Detail = sprintf "[seed %d, case %d] %s" seed index v.Detail })
            tally.Record(verdict, allocated))
    let config =
        Config.Quick
            .WithMaxTest(cases)
            .WithQuietOnSuccess(true)
            .WithReplay(Some { Rnd = Rnd(uint64 seed); Size = None })
    Check.One(config, property)

/// A fresh temp folder for one fuzzer's files, deleted afterwards.
type FuzzFolder() =
    let path = Path.Combine(Path.GetTempPath(), "staticgraph-fuzz-" + Guid.NewGuid().ToString("N"))
    do Directory.CreateDirectory path |> ignore

    /// Writes a case's bytes to a file of its own and returns its path.
    member _.Write(name: string, bytes: byte[]) =
        let file = Path.Combine(path, name)
        File.WriteAllBytes(file, bytes)
        file

    member _.Path = path

    interface IDisposable with
        member _.Dispose() =
            try Directory.Delete(path, true) with :? IOException -> ()

/// Prints the run's fuzz totals once every test has finished (xunit v3 assembly fixture).
type FuzzSummary() =
    interface IDisposable with
        member _.Dispose() =
            if not totals.IsEmpty then
                Console.Out.WriteLine(summaryLine ())
                Console.Out.Flush()

[<assembly: Xunit.AssemblyFixture(typeof<FuzzSummary>)>]
do ()
