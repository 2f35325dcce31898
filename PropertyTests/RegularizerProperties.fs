/// The stochastic regularizers (docs/architecture.md and the README's regularizer list): gradients against f64 central
/// differences with the draws held fixed (Shake-Shake's and ShakeDrop's gradient uses beta, not the
/// forward's alpha), the random-number contract, inference as the Monte-Carlo mean of training,
/// and the invariants of the data-space regularizers.
module RegularizerProperties

open System
open FsCheck
open FsCheck.FSharp
open FsCheck.Xunit
open StaticGraph
open StaticGraph.Ops
open StaticGraph.Backend
open StaticGraph.Backend.Cpu
open StaticGraph.Regularizers
open Generators
open GradientCheck

let private forAll gen body = Prop.forAll (Arb.fromGen gen) body

// ---------------------------------------------------------------------------------------------
// Running a graph at a fixed (seed, step)

let private readAny (exe: IExecutable) (n: Node) =
    match n.DType with
    | DType.F64 -> exe.Read<float>(n)
    | DType.F32 -> exe.Read<float32>(n) |> Array.map float
    | _ -> exe.Read<int>(n) |> Array.map float

let private bitsOf (exe: IExecutable) (n: Node) =
    match n.DType with
    | DType.F64 -> exe.Read<float>(n) |> Array.map BitConverter.DoubleToInt64Bits
    | DType.F32 -> exe.Read<float32>(n) |> Array.map (BitConverter.SingleToInt32Bits >> int64)
    | _ -> exe.Read<int>(n) |> Array.map int64

let private compile mode (fetches: Node[]) seed threads =
    CpuBackend.Instance.Compile(GraphProgram.Create(mode, fetches, Array.empty<StateUpdate>, null, null), CompileOptions(Seed = seed, Threads = threads))

/// Every fetch's value after one run of a program of <c>mode</c> at (seed, step).
let private evaluate mode (fetches: Node[]) (seed: uint64) (step: int64) threads =
    use exe = compile mode fetches seed threads
    exe.Step <- step
    exe.Run()
    fetches |> Array.map (readAny exe)

/// Every fetch's raw bits after one training run at (seed, step).
let private bits (fetches: Node[]) (seed: uint64) (step: int64) threads =
    use exe = compile ProgramMode.Training fetches seed threads
    exe.Step <- step
    exe.Run()
    fetches |> Array.collect (bitsOf exe)

/// The node of a builder with a qualified name.
let private named (b: GraphBuilder) name =
    match b.Nodes |> Seq.tryFind (fun n -> n.Name = name) with
    | Some n -> n
    | None -> failwithf "no node is named '%s'" name

// ---------------------------------------------------------------------------------------------
// Gradients with the draws held fixed

type private Differentiated = { Analytic: float[][]; Numeric: float[][]; Extra: float[][]; Weights: float[] }

/// loss = sum(f(inputs) * r) in f64, its autodiff gradients and the central differences of the loss, by the kit's
/// checker (GradientChecker.Differentiate): ONE training program run at the same (seed, step) every time, so the random
/// ops draw the same values in every run. <c>extra</c> picks nodes (the draws) whose values come back with the analytic run.
let private differentiate (seed: uint64) (step: int64) (shapes: int[][]) (inputValues: float[][]) build (extra: GraphBuilder -> Node[]) =
    let problem =
        StaticGraph.Conformance.GradientProblem(sprintf "regularizer on %s" (shapes |> Array.map showShape |> String.concat ", "), shapes, inputValues,
                        StaticGraph.Conformance.OutputsBuilder(fun b x -> [| build b x |]), Mode = ProgramMode.Training, Seed = seed, Step = step,
                        Extra = Func<GraphBuilder, Node[]>(extra))
    let report = StaticGraph.Conformance.GradientChecker.Differentiate problem
    report.Missing |> Array.iteri (fun i missing -> if missing then raise (StaticGraph.Conformance.GradientMismatchException(sprintf "autodiff gave no gradient for input %d" i)))
    { Analytic = report.Analytic; Numeric = report.Numeric; Extra = report.Extra; Weights = report.Weights[0] }

/// Fails naming the case and the element unless the kit's measure stays below the tolerance.
let private agree what (expected: float[]) (actual: float[]) tolerance =
    StaticGraph.Conformance.GradientChecker.Agree(what, expected, actual, tolerance)

/// A seed: small ones as often as arbitrary 64-bit ones.
let private seedGen =
    Gen.oneof [ Gen.choose (0, 100) |> Gen.map uint64
                Gen.zip (Gen.choose (0, Int32.MaxValue)) (Gen.choose (0, Int32.MaxValue)) |> Gen.map (fun (h, l) -> (uint64 h <<< 33) ^^^ uint64 l) ]

let private stepGen = Gen.oneof [ Gen.choose (0, 20); Gen.choose (0, Int32.MaxValue) ] |> Gen.map int64

/// An activation shape [N, C, H, W] with N 1..4 and the rest 1..3.
let private activationShape = gen {
    let! n = Gen.choose (1, 4)
    let! rest = Gen.arrayOfLength 3 (Gen.choose (1, 3))
    return Array.append [| n |] rest
}

/// The coefficient of element e from per-image (or per-batch) draws, or a constant.
let private coefficient (draws: float[] option) constant (shape: int[]) e =
    match draws with
    | None -> constant
    | Some d when d.Length = 1 -> d[0]
    | Some d -> d[e / (count shape / shape[0])]

// Shake-Shake ---------------------------------------------------------------------------------

type ShakeCase = { Options: ShakeOptions; Shape: int[]; B1: float[]; B2: float[]; Seed: uint64; Step: int64 }

let private shakeCase = gen {
    let! forward = Gen.elements [ ShakeMode.Shake; ShakeMode.Even ]
    let! backward = Gen.elements [ ShakeMode.Shake; ShakeMode.Even; ShakeMode.Keep ]
    let! level = Gen.elements [ ShakeLevel.Batch; ShakeLevel.Image ]
    let! shape = activationShape
    let! b1 = values (count shape)
    let! b2 = values (count shape)
    let! seed = seedGen
    let! step = stepGen
    return ({ Options = ShakeOptions(forward, backward, level); Shape = shape; B1 = b1; B2 = b2; Seed = seed; Step = step }: ShakeCase)
}

[<Property(MaxTest = 40)>]
let ``shake-shake's gradient is beta times the output gradient while central differences of the forward give alpha`` () =
    forAll shakeCase (fun c ->
        let names = Collections.Generic.List<string>()
        let draws (b: GraphBuilder) =
            let nodes = b.Nodes |> Seq.filter (fun n -> n.Op :? UniformOp) |> Array.ofSeq
            names.AddRange(nodes |> Array.map (fun x -> x.Name))
            nodes
        let d =
            differentiate c.Seed c.Step [| c.Shape; c.Shape |] [| c.B1; c.B2 |]
                (fun b i -> ShakeShake.Combine(b, i[0], i[1], c.Options)) draws
        let draw local = names |> Seq.tryFindIndex (fun n -> n = "shake." + local) |> Option.map (fun i -> d.Extra[i])
        let n = count c.Shape
        let alpha = Array.init n (coefficient (draw "alpha") 0.5 c.Shape)
        let beta = if c.Options.Backward = ShakeMode.Keep then alpha else Array.init n (coefficient (draw "beta") 0.5 c.Shape)
        let what = sprintf "shake-shake %s on %s (seed %d, step %d)" c.Options.Name (showShape c.Shape) c.Seed c.Step
        agree (what + ": autodiff d/d branch1 vs beta r") (Array.map2 (*) beta d.Weights) d.Analytic[0] 1e-12
        agree (what + ": autodiff d/d branch2 vs (1-beta) r") (Array.map2 (fun b r -> (1.0 - b) * r) beta d.Weights) d.Analytic[1] 1e-12
        agree (what + ": central differences d/d branch1 vs alpha r") (Array.map2 (*) alpha d.Weights) d.Numeric[0] Tolerance
        agree (what + ": central differences d/d branch2 vs (1-alpha) r") (Array.map2 (fun a r -> (1.0 - a) * r) alpha d.Weights) d.Numeric[1] Tolerance)

// ShakeDrop -----------------------------------------------------------------------------------

type ShakeDropCase = { P: float; Shape: int[]; X: float[]; Seed: uint64; Step: int64 }

let private shakeDropCase = gen {
    let! p = Gen.elements [ 0.0; 0.25; 0.5; 0.9; 1.0 ]
    let! shape = activationShape
    let! x = values (count shape)
    let! seed = seedGen
    let! step = stepGen
    return ({ P = p; Shape = shape; X = x; Seed = seed; Step = step }: ShakeDropCase)
}

[<Property(MaxTest = 40)>]
let ``shakedrop's gradient uses g + beta - g beta while central differences of the forward give g + alpha - g alpha`` () =
    forAll shakeDropCase (fun c ->
        let d =
            differentiate c.Seed c.Step [| c.Shape |] [| c.X |]
                (fun b i -> ShakeDrop.Apply(b, i[0], c.P))
                (fun b -> [| named b "shakedrop.gate"; named b "shakedrop.alpha"; named b "shakedrop.beta" |])
        let coeff (draws: float[]) e =
            let k = e / (count c.Shape / c.Shape[0])
            let g = d.Extra[0][k]
            g + draws[k] - g * draws[k]
        let what = sprintf "shakedrop p=%g on %s (seed %d, step %d)" c.P (showShape c.Shape) c.Seed c.Step
        agree (what + ": autodiff vs (g + b - g b) r") (d.Weights |> Array.mapi (fun e r -> coeff d.Extra[2] e * r)) d.Analytic[0] 1e-12
        agree (what + ": central differences vs (g + a - g a) r") (d.Weights |> Array.mapi (fun e r -> coeff d.Extra[1] e * r)) d.Numeric[0] Tolerance)

// Every regularizer against central differences ------------------------------------------------

/// The regularizers whose gradient is the forward function's own derivative (draws held fixed).
let private kinds =
    [ "shake-keep"; "shake-even"; "stochastic-depth"; "dropout"; "drop-activation"
      "cutout"; "cutout-inside"; "random-erasing"; "random-erasing-zero"; "mixup"; "cutmix"; "ricap"; "label-smoothing" ]

let private isBatchKind kind =
    List.contains kind [ "cutout"; "cutout-inside"; "random-erasing"; "random-erasing-zero"; "mixup"; "cutmix"; "ricap"; "label-smoothing" ]

type RegCase =
    { Kind: string; N: int; C: int; H: int; W: int; K: int; P: float; Size: int
      Images: float[]; Targets: float[]; Seed: uint64; Step: int64 }
    member c.ImageShape = [| c.N; c.C; c.H; c.W |]

let private softRows n k = gen {
    let! raw = Gen.arrayOfLength (n * k) (uniform 0.05 1.0)
    return raw |> Array.chunkBySize k |> Array.collect (fun row -> row |> Array.map (fun v -> v / Array.sum row))
}

let private regCase kinds = gen {
    let! kind = Gen.elements kinds
    let! n = Gen.choose (1, 4)
    let! ch = Gen.choose (1, 2)
    let! h = Gen.choose (2, 5)
    let! w = Gen.choose (2, 5)
    let! k = Gen.choose (2, 4)
    let! p = Gen.elements [ 0.0; 0.3; 0.5; 0.8; 1.0 ]
    let! size = Gen.choose (1, min h w)
    let! images = if kind = "drop-activation" then awayFromZero (n * ch * h * w) else values (n * ch * h * w)
    let! targets = softRows n k
    let! seed = seedGen
    let! step = stepGen
    return ({ Kind = kind; N = n; C = ch; H = h; W = w; K = k; P = p; Size = size; Images = images; Targets = targets; Seed = seed; Step = step }: RegCase)
}

let private batchRegularizer (c: RegCase) : IBatchRegularizer =
    match c.Kind with
    | "cutout" -> Cutout(c.Size)
    | "cutout-inside" -> Cutout(c.Size, true)
    | "random-erasing" -> RandomErasing(c.P)
    | "random-erasing-zero" -> RandomErasing(c.P, fill = ErasingFill.Zero)
    | "mixup" -> Mixup(0.2 + 2.0 * c.P)
    | "cutmix" -> CutMix(0.2 + 2.0 * c.P)
    | "ricap" -> Ricap(0.1 + c.P)
    | "label-smoothing" -> LabelSmoothing(0.9 * c.P)
    | other -> failwithf "%s is not a batch regularizer" other

/// Builds the regularizer of a case on inputs [images] or [images; soft targets]; batch
/// regularizers give their images and targets side by side as [N, C*H*W + K].
let private buildCase (c: RegCase) (b: GraphBuilder) (i: Node[]) =
    let x = i[0]
    match c.Kind with
    | "shake-keep" -> ShakeShake.Combine(b, x, b.Square(x), ShakeOptions(ShakeMode.Shake, ShakeMode.Keep, ShakeLevel.Image))
    | "shake-even" -> ShakeShake.Combine(b, x, b.Square(x), ShakeOptions(ShakeMode.Even, ShakeMode.Even, ShakeLevel.Batch))
    | "stochastic-depth" -> StochasticDepth.Apply(b, x, c.P)
    | "dropout" -> Dropout.Apply(b, x, min c.P 0.9)
    | "drop-activation" -> DropActivation.Apply(b, x, c.P)
    | _ ->
        let out = (batchRegularizer c).Apply(b, TrainingBatch(x, i[1]), c.K)
        b.Concat(1, b.Reshape(out.Images, c.N, c.C * c.H * c.W), out.Targets)

[<Property(MaxTest = 150)>]
let ``every regularizer's gradient matches central differences with its draws held fixed`` () =
    forAll (regCase kinds) (fun c ->
        let shapes, inputs =
            if isBatchKind c.Kind then [| c.ImageShape; [| c.N; c.K |] |], [| c.Images; c.Targets |]
            else [| c.ImageShape |], [| c.Images |]
        let d = differentiate c.Seed c.Step shapes inputs (buildCase c) (fun _ -> [||])
        for i in 0 .. shapes.Length - 1 do
            agree (sprintf "%s (p=%g size=%d) on %s, K=%d (seed %d, step %d): d loss / d input %d" c.Kind c.P c.Size (showShape c.ImageShape) c.K c.Seed c.Step i)
                d.Numeric[i] d.Analytic[i] Tolerance)

// ---------------------------------------------------------------------------------------------
// Determinism

/// Builds regularizer <c>kind</c> named <c>name</c> on fixed f32 data of a case's geometry; returns the fetched outputs.
let private buildF32 (c: RegCase) (b: GraphBuilder) name =
    let x = b.Constant(c.Images, DType.F32, c.ImageShape)
    let labels = b.Constant(Array.init c.N (fun n -> float (n % c.K)), DType.I32, c.N)
    let batch = TrainingBatch(x, labels)
    match c.Kind with
    | "shake-shake" -> [| ShakeShake.Combine(b, x, b.Neg(x), ShakeOptions(), name) |]
    | "shakedrop" -> [| ShakeDrop.Apply(b, x, 0.5, name) |]
    | "stochastic-depth" -> [| StochasticDepth.Apply(b, x, 0.5, name) |]
    | "dropout" -> [| Dropout.Apply(b, x, 0.3, name) |]
    | "drop-activation" -> [| DropActivation.Apply(b, x, 0.3, name) |]
    | "cutout" -> [| Cutout(c.Size, name = name).Apply(b, batch, c.K).Images |]
    | "random-erasing" -> [| RandomErasing(name = name).Apply(b, batch, c.K).Images |]
    | "mixup" -> let m = Mixup(name = name).Apply(b, batch, c.K) in [| m.Images; m.Targets |]
    | "cutmix" -> let m = CutMix(name = name).Apply(b, batch, c.K) in [| m.Images; m.Targets |]
    | "ricap" -> let m = Ricap(name = name).Apply(b, batch, c.K) in [| m.Images; m.Targets |]
    | other -> failwithf "unknown kind %s" other

let private determinismKinds =
    [ "shake-shake"; "shakedrop"; "stochastic-depth"; "dropout"; "drop-activation"; "cutout"; "random-erasing"; "mixup"; "cutmix"; "ricap" ]

[<Property(MaxTest = 60)>]
let ``the same seed and step give bitwise equal results in a rebuilt graph and with one or two threads`` () =
    forAll (regCase determinismKinds) (fun c ->
        let first = bits (buildF32 c (GraphBuilder(DType.F32)) "reg") c.Seed c.Step 2
        let rebuilt = bits (buildF32 c (GraphBuilder(DType.F32)) "reg") c.Seed c.Step 2
        let oneThread = bits (buildF32 c (GraphBuilder(DType.F32)) "reg") c.Seed c.Step 1
        if first <> rebuilt then failwithf "%s: a rebuilt graph gave other bits (seed %d, step %d)" c.Kind c.Seed c.Step
        if first <> oneThread then failwithf "%s: one thread gave other bits than two (seed %d, step %d)" c.Kind c.Seed c.Step)

[<Property(MaxTest = 40)>]
let ``build order does not change a regularizer's draws, its name does`` () =
    forAll (regCase determinismKinds) (fun c ->
        let early = GraphBuilder(DType.F32)
        let target = buildF32 c early "first"
        buildF32 c early "second" |> ignore
        let late = GraphBuilder(DType.F32)
        buildF32 c late "second" |> ignore
        let same = buildF32 c late "first"
        if bits target c.Seed c.Step 2 <> bits same c.Seed c.Step 2 then
            failwithf "%s: building another regularizer first changed the draws (seed %d, step %d)" c.Kind c.Seed c.Step)

type StreamCase = { Scopes: string list; Steps: int64 list; Seed: uint64 }

let private streamCase = gen {
    let name = Gen.elements [ "block"; "stage"; "shake"; "a"; "b"; "x1"; "x2"; "drop" ]
    let! scopes = Gen.listOfLength 3 (Gen.listOfLength 2 name) |> Gen.map (List.map (String.concat "_") >> List.distinct)
    let! steps = Gen.listOfLength 3 stepGen |> Gen.map List.distinct
    let! seed = seedGen
    return ({ Scopes = scopes; Steps = steps; Seed = seed }: StreamCase)
}

[<Property(MaxTest = 40)>]
let ``streams of different regularizers and steps do not collide`` () =
    forAll streamCase (fun c ->
        let b = GraphBuilder(DType.F64)
        let x = b.Constant(Array.init 64 float, DType.F64, 64, 1)
        for s in c.Scopes do
            use _ = b.Scope(s)
            ShakeShake.Combine(b, x, b.Neg(x), ShakeOptions()) |> ignore
            ShakeDrop.Apply(b, x, 0.5) |> ignore
        let uniforms = b.Nodes |> Seq.filter (fun n -> n.Op :? UniformOp) |> Array.ofSeq
        let streams = uniforms |> Array.map (fun n -> (n.Op :?> RandomOp).Stream)
        if (Array.distinct streams).Length <> streams.Length then failwithf "two random nodes share a stream: %A" (uniforms |> Array.map (fun n -> n.Name))
        let seen = Collections.Generic.HashSet<string>()
        for step in c.Steps do
            let drawn = evaluate ProgramMode.Training uniforms c.Seed step 2
            drawn |> Array.iteri (fun i v ->
                if not (seen.Add(v |> Array.map (BitConverter.DoubleToInt64Bits >> string) |> String.concat ",")) then
                    failwithf "the draws of %s at step %d repeat an earlier stream's or step's (seed %d)" uniforms[i].Name step c.Seed))

// ---------------------------------------------------------------------------------------------
// Inference is the expectation of training

type MonteCarloCase = { Kind: string; P: float; X: float[] }

let private monteCarloCase = gen {
    let! kind = Gen.elements [ "shake-shake"; "shakedrop"; "stochastic-depth"; "dropout"; "drop-activation" ]
    let! p = Gen.elements [ 0.2; 0.5; 0.8 ]
    let! x = values 24
    return ({ Kind = kind; P = p; X = x }: MonteCarloCase)
}

[<Property(MaxTest = 20)>]
let ``inference is within six standard errors of the mean of 300 training forwards`` () =
    forAll monteCarloCase (fun c ->
        let b = GraphBuilder(DType.F64)
        let x = b.Constant(c.X, DType.F64, 4, 6)
        let other = b.Constant(c.X |> Array.map (fun v -> 1.0 - v * v), DType.F64, 4, 6)
        let y, sd =
            match c.Kind with
            | "shake-shake" -> ShakeShake.Combine(b, x, other, ShakeOptions()), Array.map2 (fun p q -> abs (p - q) / sqrt 12.0) c.X (c.X |> Array.map (fun v -> 1.0 - v * v))
            | "shakedrop" -> ShakeDrop.Apply(b, x, c.P), c.X |> Array.map (fun v -> abs v * sqrt (c.P + (1.0 - c.P) / 3.0 - c.P * c.P))
            | "stochastic-depth" -> StochasticDepth.Apply(b, x, c.P), c.X |> Array.map (fun v -> abs v * sqrt (c.P * (1.0 - c.P)))
            | "dropout" -> Dropout.Apply(b, x, c.P), c.X |> Array.map (fun v -> abs v * sqrt (c.P / (1.0 - c.P)))
            | _ -> DropActivation.Apply(b, x, c.P), c.X |> Array.map (fun v -> if v < 0.0 then -v * sqrt (c.P * (1.0 - c.P)) else 0.0)
        let steps = 300
        use exe = compile ProgramMode.Training [| y |] 3UL 2
        let sum = Array.zeroCreate c.X.Length
        for s in 0 .. steps - 1 do
            exe.Step <- int64 s
            exe.Run()
            exe.Read<float>(y) |> Array.iteri (fun i v -> sum[i] <- sum[i] + v)
        let inference = (evaluate ProgramMode.Inference [| y |] 3UL 0L 2)[0]
        for i in 0 .. sum.Length - 1 do
            let mean = sum[i] / float steps
            let bound = 6.0 * sd[i] / sqrt (float steps) + 1e-12
            if abs (mean - inference[i]) > bound then
                failwithf "%s p=%g, element %d: the mean of %d training forwards is %.17g, inference %.17g (bound %.3e)" c.Kind c.P i steps mean inference[i] bound)

// ---------------------------------------------------------------------------------------------
// Invariants of the data-space regularizers

let private labelsGen n k = Gen.arrayOfLength n (Gen.choose (0, k - 1))

type MixCase = { Kind: string; N: int; H: int; W: int; K: int; Param: float; Labels: int[]; Seed: uint64; Step: int64 }

let private mixCase = gen {
    let! kind = Gen.elements [ "mixup"; "cutmix"; "ricap" ]
    let! n = Gen.choose (1, 6)
    let! h = Gen.choose (1, 9)
    let! w = Gen.choose (1, 9)
    let! k = Gen.choose (2, 6)
    let! param = Gen.elements [ 0.2; 0.3; 1.0; 2.0 ]
    let! labels = labelsGen n k
    let! seed = seedGen
    let! step = stepGen
    return ({ Kind = kind; N = n; H = h; W = w; K = k; Param = param; Labels = labels; Seed = seed; Step = step }: MixCase)
}

[<Property(MaxTest = 100)>]
let ``mixed soft labels sum to 1 per row and weigh each source by lam or by its area`` () =
    forAll mixCase (fun c ->
        let b = GraphBuilder(DType.F64)
        let images = b.Constant(Array.init (c.N * c.H * c.W) float, DType.F64, c.N, 1, c.H, c.W)
        let batch = TrainingBatch(images, b.Constant(c.Labels |> Array.map float, DType.I32, c.N))
        let what = sprintf "%s(%g) N=%d %dx%d K=%d (seed %d, step %d)" c.Kind c.Param c.N c.H c.W c.K c.Seed c.Step
        let oneHot label = Array.init c.K (fun k -> if k = label then 1.0 else 0.0)
        let expectedRows, targets, fetched =
            match c.Kind with
            | "mixup" ->
                let out = Mixup(c.Param).Apply(b, batch, c.K)
                let v = evaluate ProgramMode.Training [| out.Targets; named b "mixup.lam"; named b "mixup.perm" |] c.Seed c.Step 2
                let lam, perm = v[1][0], v[2] |> Array.map int
                Array.init c.N (fun n -> Array.map2 (fun own other -> lam * own + (1.0 - lam) * other) (oneHot c.Labels[n]) (oneHot c.Labels[perm[n]])), v[0], v
            | "cutmix" ->
                let out = CutMix(c.Param).Apply(b, batch, c.K)
                let v = evaluate ProgramMode.Training [| out.Targets; named b "cutmix.box"; named b "cutmix.perm" |] c.Seed c.Step 2
                let box, perm = v[1] |> Array.map int, v[2] |> Array.map int
                let kept = 1.0 - float ((box[2] - box[0]) * (box[3] - box[1])) / float (c.H * c.W)
                Array.init c.N (fun n -> Array.map2 (fun own other -> kept * own + (1.0 - kept) * other) (oneHot c.Labels[n]) (oneHot c.Labels[perm[n]])), v[0], v
            | _ ->
                let out = Ricap(c.Param).Apply(b, batch, c.K)
                let v = evaluate ProgramMode.Training (Array.append [| out.Targets; named b "ricap.layout" |] (Array.init 4 (fun k -> named b (sprintf "ricap.perm%d" k)))) c.Seed c.Step 2
                let layout = v[1] |> Array.map int
                Array.init c.N (fun n ->
                    let row = Array.zeroCreate c.K
                    for k in 0 .. 3 do
                        let area = (layout[6 * k + 2] - layout[6 * k]) * (layout[6 * k + 3] - layout[6 * k + 1])
                        let source = int (v[2 + k][n])
                        row[c.Labels[source]] <- row[c.Labels[source]] + float area / float (c.H * c.W)
                    row), v[0], v
        ignore fetched
        for n in 0 .. c.N - 1 do
            let row = targets[n * c.K .. n * c.K + c.K - 1]
            if abs (Array.sum row - 1.0) > 1e-12 then failwithf "%s: row %d sums to %.17g" what n (Array.sum row)
            if row |> Array.exists (fun t -> t < 0.0 || t > 1.0 + 1e-12) then failwithf "%s: row %d has a weight outside [0, 1]: %A" what n row
            agree (sprintf "%s: row %d" what n) expectedRows[n] row 1e-12)

type CutoutCase = { N: int; H: int; W: int; Size: int; Inside: bool; Seed: uint64; Step: int64 }

let private cutoutCase = gen {
    let! n = Gen.choose (1, 5)
    let! h = Gen.choose (1, 12)
    let! w = Gen.choose (1, 12)
    let! inside = Gen.elements [ true; false ]
    let! size = if inside then Gen.choose (1, min h w) else Gen.choose (1, max h w + 3)
    let! seed = seedGen
    let! step = stepGen
    return ({ N = n; H = h; W = w; Size = size; Inside = inside; Seed = seed; Step = step }: CutoutCase)
}

[<Property(MaxTest = 100)>]
let ``cutout zeroes exactly its clipped box and nothing else`` () =
    forAll cutoutCase (fun c ->
        let b = GraphBuilder(DType.F32)
        let pixels = Array.init (c.N * 2 * c.H * c.W) (fun i -> 1.0 + float i)
        let batch = TrainingBatch(b.Constant(pixels, DType.F32, c.N, 2, c.H, c.W), b.Constant(Array.zeroCreate c.N, DType.I32, c.N))
        let out = Cutout(c.Size, c.Inside).Apply(b, batch, 3)
        let v = evaluate ProgramMode.Training [| out.Images; named b "cutout.boxes" |] c.Seed c.Step 2
        for n in 0 .. c.N - 1 do
            let box = v[1][4 * n .. 4 * n + 3] |> Array.map int
            let y0, x0, y1, x1 = box[0], box[1], box[2], box[3]
            let sideH, sideW = min c.Size c.H, min c.Size c.W
            if y0 < 0 || x0 < 0 || y1 > c.H || x1 > c.W || y1 <= y0 || x1 <= x0 || y1 - y0 > sideH || x1 - x0 > sideW then
                failwithf "image %d: box (%d,%d,%d,%d) is not a clipped %d-square in %dx%d" n y0 x0 y1 x1 c.Size c.H c.W
            if c.Inside && (y1 - y0 <> c.Size || x1 - x0 <> c.Size) then failwithf "image %d: an inside box was clipped" n
            for ch in 0 .. 1 do
                for y in 0 .. c.H - 1 do
                    for x in 0 .. c.W - 1 do
                        let i = ((n * 2 + ch) * c.H + y) * c.W + x
                        let expected = if y >= y0 && y < y1 && x >= x0 && x < x1 then 0.0 else pixels[i]
                        let actual = v[0][i]
                        if actual <> expected then failwithf "image %d channel %d pixel (%d,%d): %g, expected %g (box %d,%d,%d,%d)" n ch y x actual expected y0 x0 y1 x1)

type ErasingCase = { H: int; W: int; AreaMin: float; AreaMax: float; MinAspect: float; Attempts: int; Seed: uint64; Step: int64 }

let private erasingCase = gen {
    let! h = Gen.choose (2, 40)
    let! w = Gen.choose (2, 40)
    let! a = uniform 0.01 0.9
    let! b = uniform 0.01 0.9
    let! minAspect = uniform 0.1 1.0
    let! attempts = Gen.choose (1, 20)
    let! seed = seedGen
    let! step = stepGen
    return ({ H = h; W = w; AreaMin = min a b; AreaMax = max a b; MinAspect = minAspect; Attempts = attempts; Seed = seed; Step = step }: ErasingCase)
}

[<Property(MaxTest = 100)>]
let ``erased rectangles lie inside the image and respect the area and aspect ranges`` () =
    forAll erasingCase (fun c ->
        let b = GraphBuilder(DType.F64)
        let boxes = b.ErasingBoxes("boxes", 64, c.H, c.W, 1.0, c.AreaMin, c.AreaMax, c.MinAspect, c.Attempts)
        let v = (evaluate ProgramMode.Inference [| boxes |] c.Seed c.Step 2)[0] |> Array.map int
        let area = float (c.H * c.W)
        for r in 0 .. 63 do
            let y0, x0, y1, x1 = v[4 * r], v[4 * r + 1], v[4 * r + 2], v[4 * r + 3]
            if not (y0 = 0 && x0 = 0 && y1 = 0 && x1 = 0) then
                let eh, ew = y1 - y0, x1 - x0
                let fail why = failwithf "%A row %d: (%d,%d,%d,%d) %s" c r y0 x0 y1 x1 why
                if y0 < 0 || x0 < 0 || y1 > c.H || x1 > c.W || eh < 1 || ew < 1 || eh >= c.H || ew >= c.W then fail "is not inside the image"
                // h = floor(sqrt(S a)), w = floor(sqrt(S / a)) with S in [min, max] H W and a in [m, 1/m].
                if float (eh * ew) > c.AreaMax * area * (1.0 + 1e-12) then fail "is larger than the largest area"
                if float ((eh + 1) * (ew + 1)) <= c.AreaMin * area then fail "is smaller than the smallest area allows"
                if float eh >= float (ew + 1) / c.MinAspect || float ew >= float (eh + 1) / c.MinAspect then fail "is outside the aspect range")

[<Property(MaxTest = 30)>]
let ``inverted dropout keeps the expected value`` () =
    forAll (Gen.zip (Gen.elements [ 0.1; 0.3; 0.5; 0.7; 0.9 ]) seedGen) (fun (p, seed) ->
        let b = GraphBuilder(DType.F64)
        let y = Dropout.Apply(b, b.Fill(1.0, DType.F64, 64, 64), p)
        let v = (evaluate ProgramMode.Training [| y |] seed 0L 2)[0]
        let n = float v.Length
        let mean = Array.average v
        let zeros = float (v |> Array.filter (fun x -> x = 0.0) |> Array.length) / n
        if abs (mean - 1.0) > 6.0 * sqrt (p / (1.0 - p) / n) then failwithf "p=%g seed %d: the mean is %.6f, not 1" p seed mean
        if abs (zeros - p) > 6.0 * sqrt (p * (1.0 - p) / n) then failwithf "p=%g seed %d: %.4f of the elements are zero" p seed zeros
        if v |> Array.exists (fun x -> x <> 0.0 && abs (x - 1.0 / (1.0 - p)) > 1e-15) then failwithf "p=%g: a survivor is not scaled by 1/(1-p)" p)

// ---------------------------------------------------------------------------------------------
// The translate primitive RICAP places its crops with

type TranslateCase = { Shape: int[]; Offsets: int[]; PerImage: bool; X: float[] }

let private translateCase = gen {
    let! n = Gen.choose (1, 3)
    let! c = Gen.choose (1, 2)
    let! h = Gen.choose (1, 5)
    let! w = Gen.choose (1, 5)
    let! perImage = Gen.elements [ true; false ]
    let rows = if perImage then n else 1
    let! offsets = Gen.arrayOfLength (2 * rows) (Gen.choose (-6, 6))
    let! x = values (n * c * h * w)
    return ({ Shape = [| n; c; h; w |]; Offsets = offsets; PerImage = perImage; X = x }: TranslateCase)
}

[<Property(MaxTest = 100)>]
let ``translate's gradient matches central differences for shared and per-image offsets`` () =
    forAll translateCase (fun c ->
        let rows = c.Offsets.Length / 2
        run (check (sprintf "translate by %A" c.Offsets) [| c.Shape |] [| c.X |] (fun b i ->
            b.Translate(i[0], b.Constant(c.Offsets |> Array.map float, DType.I32, rows, 2)))))
