/// The determinism, random-number and numerics contracts on the CUDA backend, GPU against CPU on the same inputs:
/// f32 within 1e-4 relative (TF32 off), random draws bit for bit, two runs in deterministic mode bit for bit. Without a
/// usable GPU every property here reports skipped (naming what is missing), never passed.
module CudaProperties

open System
open FsCheck
open FsCheck.FSharp
open global.Xunit
open StaticGraph
open StaticGraph.Ops
open StaticGraph.Backend
open StaticGraph.Backend.Cpu
open StaticGraph.Cuda.Backend
open StaticGraph.Regularizers
open DeterminismProperties

let private unavailable = lazy (CudaBackend.Unavailable())

/// Skips the test (visibly) without a usable GPU.
let private requireGpu () =
    match unavailable.Value with
    | null -> ()
    | why -> Assert.Skip("no usable GPU: " + why)

/// Runs a property with FsCheck, throwing on failure with the shrunk counterexample and the seed.
let private check maxTest (property: Property) =
    Check.One(Config.QuickThrowOnFailure.WithMaxTest(maxTest), property)

let private relative (expected: int[]) (actual: int[]) =
    Array.map2 (fun e a -> abs (float (BitConverter.Int32BitsToSingle e) - float (BitConverter.Int32BitsToSingle a))) expected actual
    |> Array.max
    |> fun d -> d / max 1e-3 (expected |> Array.map (fun e -> abs (float (BitConverter.Int32BitsToSingle e))) |> Array.max)

[<Fact>]
let ``three CUDA training steps match the CPU within 1e-4 relative per value`` () =
    requireGpu ()
    Prop.forAll (Arb.fromGen runCase) (fun c ->
        let cpu = trainOn CpuBackend.Instance c 1
        let gpu = trainOn CudaBackend.Default c 1
        let lossError = relative cpu.LossBits gpu.LossBits
        if lossError > 1e-4 then failwithf "losses differ by %g relative" lossError
        for (name, x), (_, y) in List.zip cpu.Variables gpu.Variables do
            let e = relative x y
            if e > 1e-4 then failwithf "variable '%s' differs by %g relative" name e)
    |> check 10

[<Fact>]
let ``two CUDA runs of the same case are bitwise identical in deterministic mode`` () =
    requireGpu ()
    Prop.forAll (Arb.fromGen runCase) (fun c ->
        match difference (trainOn CudaBackend.Default c 1) (trainOn CudaBackend.Default c 1) with
        | None -> ()
        | Some d -> failwithf "two CUDA runs differ: %s" d)
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
        for dtype in [ DType.F32; DType.F64 ] do
            let b = GraphBuilder(dtype)
            let u = b.Uniform("u", [| c.Rows; c.Columns |], -2.0, 3.0, dtype)
            let m = b.Bernoulli("m", [| c.Rows; c.Columns |], c.P, dtype)
            let p = b.Permutation("p", c.Columns)
            let program = GraphProgram.Inference(u, m, p)
            use cpu = CpuBackend.Instance.Compile(program, CompileOptions(Seed = c.Seed))
            use gpu = CudaBackend.Default.Compile(program, CompileOptions(Seed = c.Seed))
            cpu.Step <- c.Step
            gpu.Step <- c.Step
            cpu.Run()
            gpu.Run()
            let same (n: Node) =
                match n.DType with
                | DType.F32 -> cpu.Read<float32>(n) |> bits = (gpu.Read<float32>(n) |> bits)
                | DType.F64 -> cpu.Read<float>(n) |> Array.map BitConverter.DoubleToInt64Bits = (gpu.Read<float>(n) |> Array.map BitConverter.DoubleToInt64Bits)
                | _ -> cpu.Read<int>(n) = gpu.Read<int>(n)
            for n in program.Fetches do
                if not (same n) then failwithf "%s (%O) differs from the CPU's draws" n.Op.Name dtype)
    |> check 30

/// A unary function applied to generated values, with a weighted sum as the loss: its gradient on CUDA in f32.
type private GradientCase = { Function: UnaryFunction; Values: float32[] }

let private gradientCase = gen {
    let! f = Gen.elements [ UnaryFunction.Exp; UnaryFunction.Tanh; UnaryFunction.Sigmoid; UnaryFunction.Square; UnaryFunction.Relu; UnaryFunction.Abs ]
    let! n = Gen.choose (1, 300)
    let! values = Gen.arrayOfLength n (Gen.choose (-3000, 3000) |> Gen.map (fun v -> float32 v / 1000.0f))
    return { Function = f; Values = values }
}

[<Fact>]
let ``f32 gradients on CUDA agree with the CPU's within the f32 tolerance`` () =
    requireGpu ()
    Prop.forAll (Arb.fromGen gradientCase) (fun c ->
        let b = GraphBuilder(DType.F32)
        let x = b.Input("x", DType.F32, c.Values.Length)
        let w = b.Parameter("w", UniformInit(1.0), [| c.Values.Length |])
        let loss = b.Sum(b.Mul(b.Apply(UnaryOp(c.Function), b.Mul(x, w)), x), [| 0 |])
        let program = Autodiff.Train(loss, Sgd(Momentum = 0.0, WeightDecay = 0.0, Nesterov = false), Schedule.Constant 1.0)
        let after (backend: IBackend) =
            use exe = backend.Compile(program, CompileOptions(Seed = 3UL))
            exe.SetInput<float32>("x", ReadOnlySpan<float32>(c.Values))
            let before = exe.ReadVariable<float32>("w")
            exe.Run()
            // With lr 1 and no momentum the update is the gradient itself.
            Array.map2 (-) before (exe.ReadVariable<float32>("w")) |> bits
        let e = relative (after CpuBackend.Instance) (after CudaBackend.Default)
        if e > 1e-4 then failwithf "%O: gradients differ by %g relative" c.Function e)
    |> check 40

/// A regularizer objective, a seed and a step: one training step of a small conv net under that objective.
type private RegularizerCase = { Name: string; Options: RegularizerSettings; Seed: uint64; Step: int64 }

let private regularizerCase = gen {
    let! name, options =
        Gen.elements [ "cutout", RegularizerSettings.None.With("cutout", 4)
                       "random-erasing", RegularizerSettings.None.With("random-erasing", 0.5)
                       "mixup", RegularizerSettings.None.With("mixup", 1.0)
                       "cutmix", RegularizerSettings.None.With("cutmix", 1.0)
                       "ricap", RegularizerSettings.None.With("ricap", 0.3)
                       "dual-cutout", RegularizerSettings.None.With("dual-cutout", 0.1, struct ("size", box 4))
                       "label-smoothing", RegularizerSettings.None.With("label-smoothing", 0.1) ]
    let! s = seed
    let! step = Gen.choose (0, 100_000)
    return { Name = name; Options = options; Seed = s; Step = int64 step }
}

[<Fact>]
let ``every regularizer objective's training step on CUDA matches the CPU in f64`` () =
    requireGpu ()
    Prop.forAll (Arb.fromGen regularizerCase) (fun c ->
        let b = GraphBuilder(DType.F64)
        let x = b.Input("image", DType.F64, 4, 3, 8, 8)
        let y = b.Input("label", DType.I32, 4)
        let model (h: Node) = b.Linear(b.GlobalAvgPool(b.Relu(b.BatchNorm(b.Conv2d(h, 6, 3, padding = 1)))), 5)
        let loss, logits = RegularizerCatalog.Objective(c.Options).Build(b, Func<Node, Node>(model), x, y, 5).ToTuple()
        let program = Autodiff.Train(loss, Sgd(Momentum = 0.9, WeightDecay = 5e-4, Nesterov = true), Schedule.Constant 0.1, logits)
        let images = Array.init (4 * 3 * 8 * 8) (fun i -> sin (float i * 0.37))
        let labels = [| 0; 3; 4; 1 |]
        let run (backend: IBackend) =
            use exe = backend.Compile(program, CompileOptions(Seed = c.Seed))
            exe.Step <- c.Step
            exe.SetInput<float>("image", ReadOnlySpan<float>(images))
            exe.SetInput<int>("label", ReadOnlySpan<int>(labels))
            exe.Run()
            [ for v in program.Variables -> exe.ReadVariable<float>(nameOf v) ] @ [ exe.Read<float>(loss) ]
        for e, a in List.zip (run CpuBackend.Instance) (run CudaBackend.Default) do
            let scale = max 1e-3 (e |> Array.map abs |> Array.max)
            let err = Array.map2 (fun p q -> abs (p - q) / scale) e a |> Array.max
            if err > 1e-9 then failwithf "%s: CUDA differs from the CPU by %g relative" c.Name err)
    |> check 20
