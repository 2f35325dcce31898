/// The determinism contract (docs/architecture.md, CPU backend) on the CPU: same graph, same seed, same data => bitwise
/// identical losses and weights whatever the thread count; different seeds => different draws.
module DeterminismProperties

open System
open FsCheck
open FsCheck.FSharp
open FsCheck.Xunit
open StaticGraph
open StaticGraph.Ops
open StaticGraph.Backend
open StaticGraph.Backend.Cpu

let private batch, channels, side, features, classes, steps = 8, 3, 8, 8, 3, 3

/// A seed for the run and one for the data (images and labels of the three steps).
type RunCase = { Seed: uint64; DataSeed: int }

/// What a training run leaves: each step's loss and the final value of every variable, as bits.
type Trace = { LossBits: int[]; Variables: (string * int[]) list }

let seed =
    Gen.oneof [ Gen.elements [ 0UL; 1UL; 42UL; UInt64.MaxValue ]
                Gen.zip (Gen.choose (0, Int32.MaxValue)) (Gen.choose (0, Int32.MaxValue))
                |> Gen.map (fun (hi, lo) -> (uint64 hi <<< 33) ^^^ uint64 lo) ]

let runCase = gen {
    let! s = seed
    let! d = Gen.choose (0, Int32.MaxValue)
    return { Seed = s; DataSeed = d }
}

/// conv -> batch norm -> relu -> global average pool -> linear -> softmax cross-entropy, in f32,
/// as a training program with Nesterov SGD at a constant rate of 0.1.
let private trainingProgram () =
    let b = GraphBuilder(DType.F32)
    let x = b.Input("image", DType.F32, batch, channels, side, side)
    let y = b.Input("label", DType.I32, batch)
    let h = b.Conv2d(x, features, 3, padding = 1)
    let h = b.Relu(b.BatchNorm(h))
    let logits = b.Linear(b.GlobalAvgPool(h), classes)
    let loss = b.SoftmaxCrossEntropy(logits, y)
    Autodiff.Train(loss, Sgd(Momentum = 0.9, WeightDecay = 5e-4, Nesterov = true), Schedule.Constant 0.1), loss

let nameOf (n: Node) =
    match n.Name with
    | null -> failwithf "variable %O has no name" n
    | name -> name

let bits (values: float32[]) = values |> Array.map BitConverter.SingleToInt32Bits

/// Trains for three steps on data drawn from the data seed, on the backend given, and returns the trace.
let trainOn (backend: IBackend) (c: RunCase) threads =
    let program, loss = trainingProgram ()
    use exe = backend.Compile(program, CompileOptions(Seed = c.Seed, Threads = threads))
    let data = Random(c.DataSeed)
    let losses =
        [| for _ in 1 .. steps do
               let images = Array.init (batch * channels * side * side) (fun _ -> float32 (4.0 * data.NextDouble() - 2.0))
               let labels = Array.init batch (fun _ -> data.Next(classes))
               exe.SetInput<float32>("image", ReadOnlySpan<float32>(images))
               exe.SetInput<int>("label", ReadOnlySpan<int>(labels))
               exe.Run()
               let value = exe.Read<float32>(loss)[0]
               if not (Single.IsFinite value) then failwithf "the loss is %g at step %d" value exe.Step
               yield value |]
    { LossBits = bits losses
      Variables =
        program.Variables
        |> Seq.map (fun v -> let name = nameOf v in name, bits (exe.ReadVariable<float32> name))
        |> Seq.sortBy fst
        |> List.ofSeq }

let private train (c: RunCase) threads = trainOn CpuBackend.Instance c threads

/// The first place two traces differ, or None.
let difference (a: Trace) (b: Trace) =
    let firstDiff (x: int[]) (y: int[]) =
        if x.Length <> y.Length then Some(sprintf "lengths %d and %d" x.Length y.Length)
        else
            Array.zip x y |> Array.tryFindIndex (fun (p, q) -> p <> q)
            |> Option.map (fun i ->
                sprintf "element %d: %.9g (bits %08x) vs %.9g (bits %08x)"
                    i (BitConverter.Int32BitsToSingle x[i]) x[i] (BitConverter.Int32BitsToSingle y[i]) y[i])
    match firstDiff a.LossBits b.LossBits with
    | Some d -> Some("loss of " + d)
    | None ->
        if List.map fst a.Variables <> List.map fst b.Variables then
            Some(sprintf "variables %A vs %A" (List.map fst a.Variables) (List.map fst b.Variables))
        else
            List.zip a.Variables b.Variables
            |> List.tryPick (fun ((name, x), (_, y)) -> firstDiff x y |> Option.map (fun d -> sprintf "variable '%s' %s" name d))

let private identical what (a: Trace) (b: Trace) =
    match difference a b with
    | None -> ()
    | Some d -> failwithf "%s differ after %d steps: %s" what steps d

[<Property(MaxTest = 15)>]
let ``training with one and two threads gives bitwise identical losses and variables`` () =
    Prop.forAll (Arb.fromGen runCase) (fun c -> identical "one-thread and two-thread runs" (train c 1) (train c 2))

[<Property(MaxTest = 15)>]
let ``training twice with the same seed gives bitwise identical losses and variables`` () =
    Prop.forAll (Arb.fromGen runCase) (fun c -> identical "two runs with the same seed" (train c 2) (train c 2))

[<Property(MaxTest = 20)>]
let ``different seeds give different initial weights`` () =
    let seeds = Gen.zip seed seed |> Gen.where (fun (a, b) -> a <> b)
    Prop.forAll (Arb.fromGen seeds) (fun (s1, s2) ->
        let initial s =
            let program, _ = trainingProgram ()
            use exe = CpuBackend.Instance.Compile(program, CompileOptions(Seed = s, Threads = 1))
            [ for name in [ "conv.weight"; "fc.weight" ] -> name, bits (exe.ReadVariable<float32> name) ]
        let a, b = initial s1, initial s2
        for (name, x), (_, y) in List.zip a b do
            if x = y then failwithf "seeds %d and %d give the same initial '%s'" s1 s2 name)
