/// The determinism, random-number and numerics contracts on the CUDA backend, on cases FsCheck generates, checked by the
/// conformance kit (StaticGraph.Conformance): each generated case becomes one of the kit's cases and runs on the GPU target
/// against the f64 CPU reference within the one tolerance table. Without a usable GPU every property here reports skipped
/// (naming what is missing), never passed.
module CudaProperties

open System
open FsCheck
open FsCheck.FSharp
open global.Xunit
open StaticGraph
open StaticGraph.Ops
open StaticGraph.Backend
open StaticGraph.Conformance
open StaticGraph.Conformance.Ops
open StaticGraph.Conformance.Steps
open StaticGraph.Cuda.Backend
open StaticGraph.Regularizers
open DeterminismProperties

/// The CUDA backend as a kit target (graph replay off for its eager twin).
let private gpu dtype =
    ConformanceTarget.FromBackend("cuda", dtype, eager = Func<IBackend>(fun () -> CudaBackend(CudaOptions(CaptureGraph = false))))

/// Skips the test (visibly) without a usable GPU.
let private requireGpu () =
    match (gpu DType.F32).Unavailable with
    | null -> ()
    | why -> Assert.Skip("no usable GPU: " + why)

/// Runs a property with FsCheck, throwing on failure with the shrunk counterexample and the seed.
let private check maxTest (property: Property) =
    Check.One(Config.QuickThrowOnFailure.WithMaxTest(maxTest), property)

/// Runs a kit case on the GPU target; fails with the kit's report line unless it passed.
let private conforms (case: ConformanceCase) dtype =
    let result = case.Run(gpu dtype)
    if not result.Passed then failwithf "%O" result

/// The determinism properties' network (conv, batch norm, relu, pool, linear) on one generated batch, as a kit step program.
let private smallNet (c: RunCase) =
    let data = Random(c.DataSeed)
    let images = Array.init (8 * 3 * 8 * 8) (fun _ -> 4.0 * data.NextDouble() - 2.0)
    let labels = Array.init 8 (fun _ -> float (data.Next 3))
    StepProgram(sprintf "small-net seed %d data %d" c.Seed c.DataSeed,
                Func<DType, GraphProgram>(fun dtype ->
                    let b = GraphBuilder(dtype)
                    let x = b.Input("image", dtype, 8, 3, 8, 8)
                    let y = b.Input("label", DType.I32, 8)
                    let logits = b.Linear(b.GlobalAvgPool(b.Relu(b.BatchNorm(b.Conv2d(x, 8, 3, padding = 1)))), 3)
                    Autodiff.Train(b.SoftmaxCrossEntropy(logits, y), Sgd(Momentum = 0.9, WeightDecay = 5e-4, Nesterov = true), Schedule.Constant 0.1, logits)),
                Func<Collections.Generic.IReadOnlyDictionary<string, float[]>>(fun () -> readOnlyDict [ "image", images; "label", labels ]),
                Seed = c.Seed)

[<Fact>]
let ``a CUDA training step matches the f64 CPU reference within the f32 row of the tolerance table`` () =
    requireGpu ()
    Prop.forAll (Arb.fromGen runCase) (fun c -> conforms (StepCase(smallNet c)) DType.F32) |> check 10

[<Fact>]
let ``two CUDA runs of the same case are bitwise identical in deterministic mode and replays equal eager issue`` () =
    requireGpu ()
    Prop.forAll (Arb.fromGen runCase) (fun c ->
        conforms (RepeatCase(smallNet c)) DType.F32
        conforms (ReplayCase(smallNet c)) DType.F32)
    |> check 10

/// A random op of each kind on a generated shape, seed and step.
type private DrawCase = { Seed: uint64; Step: int64; Rows: int; Columns: int; P: float }

let private drawCase = gen {
    let! s = seed
    let! step = Gen.choose (0, 1_000_000)
    let! rows = Gen.choose (1, 9)
    let! columns = Gen.choose (1, 700)
    let! p = Gen.choose (0, 100)
    return { Seed = s; Step = int64 step; Rows = rows; Columns = columns; P = float p / 100.0 }
}

[<Fact>]
let ``random draws on CUDA are the CPU's bits for every seed, step and shape`` () =
    requireGpu ()
    Prop.forAll (Arb.fromGen drawCase) (fun c ->
        let draws =
            OpCase(sprintf "draws %dx%d p=%g" c.Rows c.Columns c.P, typeof<UniformOp>, [||],
                   OutputsBuilder(fun b _ ->
                       [| b.Uniform("u", [| c.Rows; c.Columns |], -2.0, 3.0); b.Bernoulli("m", [| c.Rows; c.Columns |], c.P); b.Permutation("p", c.Columns) |]),
                   Mode = ProgramMode.Training, Differentiable = false, Comparison = OpComparison.Draws, Step = c.Step, Seeds = [| c.Seed |])
        for dtype in [ DType.F32; DType.F64 ] do conforms draws dtype)
    |> check 30

/// A unary function applied to generated values.
type private GradientCase = { Function: UnaryFunction; Values: float[] }

let private gradientCase = gen {
    let! f = Gen.elements [ UnaryFunction.Exp; UnaryFunction.Tanh; UnaryFunction.Sigmoid; UnaryFunction.Square; UnaryFunction.Relu; UnaryFunction.Abs ]
    let! n = Gen.choose (1, 300)
    // Away from 0, where relu and abs have their kink.
    let! values = Gen.arrayOfLength n (Gen.oneof [ Gen.choose (-3000, -50); Gen.choose (50, 3000) ] |> Gen.map (fun v -> float v / 1000.0))
    return { Function = f; Values = values }
}

[<Fact>]
let ``f32 functions and their gradients on CUDA agree with the f64 reference within the per-op tolerance`` () =
    requireGpu ()
    Prop.forAll (Arb.fromGen gradientCase) (fun c ->
        let case =
            OpCase(sprintf "%O on %d values" c.Function c.Values.Length, typeof<UnaryOp>,
                   [| CaseInput("x", [| c.Values.Length |], ValueSource(fun _ _ -> Array.copy c.Values)) |],
                   OutputsBuilder(fun b x -> [| b.Apply(UnaryOp(c.Function), x[0]) |]))
        conforms case DType.F32)
    |> check 40

/// A regularizer objective, a seed and a step: one training step of a small conv net under that objective.
type private RegularizerCase = { Name: string; Options: RegularizerSettings; Seed: uint64 }

let private regularizerCase = gen {
    let! name, options = Gen.elements (StepPrograms.Objectives() |> Seq.map (fun struct (n, o) -> n, o) |> List.ofSeq)
    let! s = seed
    return { Name = name; Options = options; Seed = s }
}

[<Fact>]
let ``every regularizer objective's training step on CUDA matches the f64 CPU reference in f64`` () =
    requireGpu ()
    Prop.forAll (Arb.fromGen regularizerCase) (fun c ->
        let images = Array.init (4 * 3 * 8 * 8) (fun i -> sin (float i * 0.37))
        let program =
            StepProgram(sprintf "%s seed %d" c.Name c.Seed,
                        Func<DType, GraphProgram>(fun dtype ->
                            let b = GraphBuilder(dtype)
                            let x = b.Input("image", dtype, 4, 3, 8, 8)
                            let y = b.Input("label", DType.I32, 4)
                            let model (h: Node) = b.Linear(b.GlobalAvgPool(b.Relu(b.BatchNorm(b.Conv2d(h, 6, 3, padding = 1)))), 5)
                            let loss, logits = RegularizerCatalog.Objective(c.Options).Build(b, Func<Node, Node>(model), x, y, 5).ToTuple()
                            Autodiff.Train(loss, Sgd(Momentum = 0.9, WeightDecay = 5e-4, Nesterov = true), Schedule.Constant 0.1, logits)),
                        Func<Collections.Generic.IReadOnlyDictionary<string, float[]>>(fun () -> readOnlyDict [ "image", images; "label", [| 0.0; 3.0; 4.0; 1.0 |] ]),
                        Seed = c.Seed)
        conforms (StepCase(program)) DType.F64)
    |> check 20
