/// The proof of data parallelism (docs/distributed.md): one step of N ranks, each on its slice of the batch with its own
/// batch statistics, averaging gradients and running statistics through the ring all-reduce, gives the update of one
/// process that computes the N slices' gradients separately, averages them and applies SGD itself; every rank ends with
/// the same bits. The ranks are threads (InProcessGroup): the collectives are the code MPI carries under mpirun.
module DataParallelProperties

open System
open FsCheck
open FsCheck.FSharp
open FsCheck.Xunit
open StaticGraph
open StaticGraph.Ops
open StaticGraph.Backend
open StaticGraph.Backend.Cpu
open StaticGraph.Distributed

let private channels, side, features, classes = 2, 4, 3, 3
let private lr, momentum, decay = 0.1, 0.9, 5e-4

/// World size, each rank's batch, the run's seed, the data's seed and the bucket size (small ones split the gradients).
type Case = { World: int; Local: int; Seed: uint64; DataSeed: int; BucketBytes: int64 }

let case = gen {
    let! world = Gen.choose (2, 4)
    let! local = Gen.choose (1, 3)
    let! seed = Gen.choose (0, 1000) |> Gen.map uint64
    let! data = Gen.choose (0, Int32.MaxValue)
    let! bucket = Gen.elements [ 64L; 256L; DataParallel.DefaultBucketBytes ]
    return { World = world; Local = local; Seed = seed; DataSeed = data; BucketBytes = bucket }
}

/// conv -> batch norm -> relu -> global average pool -> linear -> softmax cross-entropy, in f64, for a batch of n.
let private model (b: GraphBuilder) n =
    let x = b.Input("image", DType.F64, n, channels, side, side)
    let y = b.Input("label", DType.I32, n)
    let h = b.Relu(b.BatchNorm(b.Conv2d(x, features, 3, padding = 1)))
    b.SoftmaxCrossEntropy(b.Linear(b.GlobalAvgPool h, classes), y)

let private sgd () = Sgd(Momentum = momentum, WeightDecay = decay, Nesterov = true)

/// The global batch: images and labels of world x local examples.
let private batch (c: Case) =
    let rng = Random(c.DataSeed)
    let n = c.World * c.Local
    Array.init (n * channels * side * side) (fun _ -> 4.0 * rng.NextDouble() - 2.0), Array.init n (fun _ -> rng.Next classes)

let private slice (c: Case) (images: float[], labels: int[]) rank =
    let size = c.Local * channels * side * side
    images[rank * size .. (rank + 1) * size - 1], labels[rank * c.Local .. (rank + 1) * c.Local - 1]

let private feed (exe: IExecutable) (images: float[], labels: int[]) =
    exe.SetInput<float>("image", ReadOnlySpan images)
    exe.SetInput<int>("label", ReadOnlySpan labels)

let private variables (program: GraphProgram) (exe: IExecutable) =
    program.Variables |> Seq.map (fun v -> v.Name, exe.ReadVariable<float> v.Name) |> Map.ofSeq

/// One data-parallel step on every rank: each rank's variables afterwards.
let private parallelStep (c: Case) =
    let data = batch c
    InProcessGroup.Run(c.World, fun world ->
        let b = GraphBuilder(DType.F64)
        let loss = model b c.Local
        let program = Autodiff.Train(loss, sgd (), Schedule.Constant lr, DataParallel(c.World, c.BucketBytes))
        use exe = CpuBackend.Instance.Compile(program, CompileOptions(Seed = c.Seed, Threads = 1, Communicator = world))
        feed exe (slice c data world.Rank)
        exe.Run()
        variables program exe)

/// The reference: each slice's gradients (its own batch statistics) in a process of its own, averaged here, then Nesterov
/// SGD from zero momentum; the running statistics are the mean of each slice's own training step's.
let private reference (c: Case) =
    let data = batch c
    let gradients, initial, running =
        [ for rank in 0 .. c.World - 1 ->
            let b = GraphBuilder(DType.F64)
            let loss = model b c.Local
            let parameters = b.Nodes |> Seq.filter (fun n -> match n.Op with :? VariableOp as v -> v.Kind = VariableKind.Parameter | _ -> false) |> List.ofSeq
            let grads = Autodiff.Gradients(loss, parameters)
            let fetched = parameters |> List.map (fun p -> grads[p])
            let program = GraphProgram.Create(ProgramMode.Training, [ yield loss; yield! fetched ], [], null, null)
            use exe = CpuBackend.Instance.Compile(program, CompileOptions(Seed = c.Seed, Threads = 1))
            feed exe (slice c data rank)
            exe.Run()
            let g = List.zip parameters fetched |> List.map (fun (p, g) -> p.Name, exe.Read<float> g) |> Map.ofList
            let p = parameters |> List.map (fun p -> p.Name, exe.ReadVariable<float> p.Name) |> Map.ofList
            // The slice's own training step, for its running statistics.
            let b2 = GraphBuilder(DType.F64)
            let training = Autodiff.Train(model b2 c.Local, sgd (), Schedule.Constant lr)
            use step = CpuBackend.Instance.Compile(training, CompileOptions(Seed = c.Seed, Threads = 1))
            feed step (slice c data rank)
            step.Run()
            let stats = variables training step |> Map.filter (fun name _ -> name.Contains "running")
            g, p, stats ]
        |> List.unzip3
    let mean (maps: Map<string, float[]> list) =
        maps.Head |> Map.map (fun name _ ->
            let sum = Array.zeroCreate (maps.Head[name].Length)
            for m in maps do Array.iteri (fun i v -> sum[i] <- sum[i] + v) m[name]
            sum |> Array.map (fun s -> s / float c.World))
    let g = mean gradients
    let updated =
        initial.Head |> Map.map (fun name p ->
            Array.init p.Length (fun i ->
                let d = g[name][i] + decay * p[i]
                let v = d // momentum * 0 + d
                p[i] - lr * (d + momentum * v)))
    updated, mean running

let private close what (expected: float[]) (actual: float[]) =
    let scale = expected |> Array.map abs |> Array.fold max 1e-300
    let worst = Array.map2 (fun e a -> abs (e - a)) expected actual |> Array.fold max 0.0
    if worst > 1e-10 * scale then failwithf "%s differs by %g (relative %g) from the one-process average" what worst (worst / scale)

[<Property(MaxTest = 25)>]
let ``one step of N ranks is the one-process average of the N slices' gradients`` () =
    Prop.forAll (Arb.fromGen case) (fun c ->
        let ranks: Map<string, float[]>[] = parallelStep c
        let first = ranks[0]
        let parameters, running = reference c
        for name, p in Map.toSeq parameters do close (sprintf "parameter '%s'" name) p (first.[name])
        for name, s in Map.toSeq running do close (sprintf "running statistic '%s'" name) s (first.[name])
        for r in 1 .. c.World - 1 do
            let other = ranks[r]
            for KeyValue(name, value) in first do
                if Array.map BitConverter.DoubleToInt64Bits value <> Array.map BitConverter.DoubleToInt64Bits (other.[name]) then
                    failwithf "rank %d's '%s' differs from rank 0's" r name)

[<Property(MaxTest = 10)>]
let ``two data-parallel steps with the same seed and world are bitwise identical`` () =
    Prop.forAll (Arb.fromGen case) (fun c ->
        let a: Map<string, float[]> = (parallelStep c)[0]
        let b: Map<string, float[]> = (parallelStep c)[0]
        for KeyValue(name, value) in a do
            if Array.map BitConverter.DoubleToInt64Bits value <> Array.map BitConverter.DoubleToInt64Bits (b.[name]) then
                failwithf "'%s' differs between two runs" name)
