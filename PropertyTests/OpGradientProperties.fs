/// Every primitive op family's autodiff gradient equals central differences in float64 (docs/ops.md,
/// numerics contract), on generated shapes, attributes and values kept away from the op's kinks.
module OpGradientProperties

open FsCheck
open FsCheck.FSharp
open FsCheck.Xunit
open StaticGraph
open StaticGraph.Ops
open Generators
open GradientCheck

let private forAll gen body = Prop.forAll (Arb.fromGen gen) body

// ---------------------------------------------------------------------------------------------
// Elementwise

type UnaryCase = { Fn: UnaryFunction; Shape: int[]; X: float[] }

let private unaryCase = gen {
    let! fn = Gen.elements (System.Enum.GetValues<UnaryFunction>())
    let! s = shape
    let n = count s
    let! x =
        match fn with
        | UnaryFunction.Log | UnaryFunction.Sqrt | UnaryFunction.Reciprocal -> positive n
        | UnaryFunction.Abs | UnaryFunction.Relu | UnaryFunction.Step | UnaryFunction.Sign -> awayFromZero n
        | _ -> values n
    return { Fn = fn; Shape = s; X = x }
}

[<Property(MaxTest = 100)>]
let ``every unary function's gradient matches central differences`` () =
    forAll unaryCase (fun c ->
        run (check (string c.Fn) [| c.Shape |] [| c.X |] (fun b i -> b.Apply(UnaryOp(c.Fn), i[0]))))

type BinaryCase = { Fn: BinaryFunction; A: int[]; B: int[]; XA: float[]; XB: float[] }

let private binaryCase = gen {
    let! fn = Gen.elements (System.Enum.GetValues<BinaryFunction>())
    let! p = broadcastPair
    let na, nb = count p.A, count p.B
    let! xa, xb =
        match fn with
        | BinaryFunction.Div -> Gen.zip (values na) (positive nb)
        | BinaryFunction.Max | BinaryFunction.Min | BinaryFunction.Greater | BinaryFunction.Equal -> separatedPair na nb
        | BinaryFunction.ReluBackward -> Gen.zip (awayFromZero na) (values nb)
        | _ -> Gen.zip (values na) (values nb)
    return { Fn = fn; A = p.A; B = p.B; XA = xa; XB = xb }
}

[<Property(MaxTest = 100)>]
let ``every binary function's gradient matches central differences under broadcasting`` () =
    forAll binaryCase (fun c ->
        run (check (string c.Fn) [| c.A; c.B |] [| c.XA; c.XB |] (fun b i -> b.Apply(BinaryOp(c.Fn), i[0], i[1]))))

type WhereCase = { Mask: int[]; MaskValues: float[]; A: int[]; B: int[]; XA: float[]; XB: float[] }

let private whereCase = gen {
    let! target = shape
    let! m = broadcastableTo target
    let! a = broadcastableTo target
    let! b = broadcastableTo target
    let! mask = Gen.arrayOfLength (count m) (Gen.elements [ 0.0; 1.0 ])
    let! xa = values (count a)
    let! xb = values (count b)
    return { Mask = m; MaskValues = mask; A = a; B = b; XA = xa; XB = xb }
}

[<Property(MaxTest = 80)>]
let ``where's gradient matches central differences under broadcasting`` () =
    forAll whereCase (fun c ->
        run (check (sprintf "where mask %s" (showShape c.Mask)) [| c.A; c.B |] [| c.XA; c.XB |] (fun b i ->
            b.Where(b.Constant(c.MaskValues, DType.F64, c.Mask), i[0], i[1]))))

type CastCase = { Shape: int[]; X: float[] }

[<Property(MaxTest = 30)>]
let ``a cast node from f64 to f64 passes the gradient through`` () =
    let g = gen {
        let! s = shape
        let! x = values (count s)
        return { Shape = s; X = x }
    }
    forAll g (fun c ->
        // Builder's Cast returns x itself for the same dtype; apply the op to get a real cast node.
        run (check "cast" [| c.Shape |] [| c.X |] (fun b i -> b.Apply(CastOp(DType.F64), b.Tanh(i[0])))))

// ---------------------------------------------------------------------------------------------
// Reductions

type ReduceCase = { Fn: ReduceFunction; Shape: int[]; Axes: int list; KeepDims: bool; X: float[] }

let private reduceCase = gen {
    let! fn = Gen.elements [ ReduceFunction.Sum; ReduceFunction.Mean; ReduceFunction.Max ]
    let! s = shape
    let! axes = axesOf s.Length
    let! keep = Gen.elements [ true; false ]
    let! x = if fn = ReduceFunction.Max then distinct (count s) else values (count s)
    return { Fn = fn; Shape = s; Axes = axes; KeepDims = keep; X = x }
}

[<Property(MaxTest = 100)>]
let ``reduce sum, mean and max gradients match central differences over generated axes`` () =
    forAll reduceCase (fun c ->
        run (check (sprintf "reduce_%A" c.Fn) [| c.Shape |] [| c.X |] (fun b i ->
            b.Apply(ReduceOp(c.Fn, List.toArray c.Axes, c.KeepDims), i[0]))))

// ---------------------------------------------------------------------------------------------
// Shape ops

type ReshapeCase = { Shape: int[]; Target: int[]; X: float[] }

[<Property(MaxTest = 60)>]
let ``reshape's gradient matches central differences`` () =
    let g = gen {
        let! s = shape
        let! t = reshapeTarget s
        let! x = values (count s)
        return { Shape = s; Target = t; X = x }
    }
    forAll g (fun c ->
        // Reshape a computed value (an alias of an arena buffer), not only a fed input.
        run (check "reshape" [| c.Shape |] [| c.X |] (fun b i -> b.Reshape(b.Sigmoid(i[0]), Shape(c.Target)))))

type BroadcastToCase = { Source: int[]; Target: int[]; X: float[] }

[<Property(MaxTest = 60)>]
let ``broadcast_to's gradient matches central differences`` () =
    let g = gen {
        let! t = shape
        let! s = broadcastableTo t
        let! x = values (count s)
        return { Source = s; Target = t; X = x }
    }
    forAll g (fun c ->
        run (check "broadcast_to" [| c.Source |] [| c.X |] (fun b i -> b.Apply(BroadcastToOp(Shape(c.Target)), i[0]))))

type TransposeCase = { Shape: int[]; Permutation: int list; X: float[] }

[<Property(MaxTest = 60)>]
let ``transpose's gradient matches central differences`` () =
    let g = gen {
        let! s = shape
        let! p = permutation s.Length
        let! x = values (count s)
        return { Shape = s; Permutation = p; X = x }
    }
    forAll g (fun c ->
        run (check "transpose" [| c.Shape |] [| c.X |] (fun b i -> b.Apply(TransposeOp(List.toArray c.Permutation), i[0]))))

type ConcatCase = { Axis: int; Shapes: int[][]; Xs: float[][] }

[<Property(MaxTest = 60)>]
let ``concat's gradient matches central differences`` () =
    let g = gen {
        let! s = shape
        let! axis = Gen.choose (0, s.Length - 1)
        let! written = Gen.elements [ axis; axis - s.Length ]
        let! k = Gen.choose (1, 3)
        let! sizes = Gen.arrayOfLength k (Gen.choose (1, 4))
        let shapes = sizes |> Array.map (fun d -> s |> Array.mapi (fun a e -> if a = axis then d else e))
        let! xs = shapes |> Array.map (count >> values) |> Gen.sequenceToArray
        return { Axis = written; Shapes = shapes; Xs = xs }
    }
    forAll g (fun c ->
        run (check "concat" c.Shapes c.Xs (fun b i -> b.Concat(c.Axis, i))))

type SliceCase = { Shape: int[]; Starts: int[]; Ends: int[]; X: float[] }

[<Property(MaxTest = 60)>]
let ``slice's gradient matches central differences`` () =
    let g = gen {
        let! s = shape
        let! starts = s |> Array.map (fun d -> Gen.choose (0, d - 1)) |> Gen.sequenceToArray
        let! ends = Array.map2 (fun st d -> Gen.choose (st + 1, d)) starts s |> Gen.sequenceToArray
        let! x = values (count s)
        return { Shape = s; Starts = starts; Ends = ends; X = x }
    }
    forAll g (fun c ->
        run (check "slice" [| c.Shape |] [| c.X |] (fun b i -> b.Slice(i[0], c.Starts, c.Ends))))

type PadCase = { Shape: int[]; Before: int[]; After: int[]; Value: float; X: float[] }

[<Property(MaxTest = 60)>]
let ``pad's gradient matches central differences`` () =
    let g = gen {
        let! s = shapeWithRank 1 3
        let! before = Gen.arrayOfLength s.Length (Gen.choose (0, 2))
        let! after = Gen.arrayOfLength s.Length (Gen.choose (0, 2))
        let! v = uniform -1.0 1.0
        let! x = values (count s)
        return { Shape = s; Before = before; After = after; Value = v; X = x }
    }
    forAll g (fun c ->
        run (check "pad" [| c.Shape |] [| c.X |] (fun b i -> b.Pad(i[0], c.Before, c.After, c.Value))))

type GatherCase = { Shape: int[]; Indices: int[]; X: float[] }

[<Property(MaxTest = 60)>]
let ``gather_rows's gradient matches central differences, repeated rows included`` () =
    let g = gen {
        let! s = shapeWithRank 1 3
        let! m = Gen.choose (1, 6)
        let! idx = Gen.arrayOfLength m (Gen.choose (0, s[0] - 1))
        let! x = values (count s)
        return { Shape = s; Indices = idx; X = x }
    }
    forAll g (fun c ->
        run (check "gather_rows" [| c.Shape |] [| c.X |] (fun b i ->
            b.GatherRows(i[0], b.Constant(c.Indices |> Array.map float, DType.I32, c.Indices.Length)))))

// ---------------------------------------------------------------------------------------------
// Matrix products and normalisations

type MatMulCase = { TransposeA: bool; TransposeB: bool; A: int[]; B: int[]; XA: float[]; XB: float[] }

[<Property(MaxTest = 80)>]
let ``matmul's gradient matches central differences for every transpose flag`` () =
    let g = gen {
        let! ta = Gen.elements [ false; true ]
        let! tb = Gen.elements [ false; true ]
        let! m = dim
        let! k = dim
        let! n = dim
        let a = if ta then [| k; m |] else [| m; k |]
        let b = if tb then [| n; k |] else [| k; n |]
        let! xa = values (count a)
        let! xb = values (count b)
        return { TransposeA = ta; TransposeB = tb; A = a; B = b; XA = xa; XB = xb }
    }
    forAll g (fun c ->
        run (check (sprintf "matmul ta=%b tb=%b" c.TransposeA c.TransposeB) [| c.A; c.B |] [| c.XA; c.XB |] (fun b i ->
            b.MatMul(i[0], i[1], transposeA = c.TransposeA, transposeB = c.TransposeB))))

type SoftmaxCase = { Fn: SoftmaxFunction; Shape: int[]; X: float[] }

[<Property(MaxTest = 80)>]
let ``softmax and log_softmax gradients match central differences`` () =
    let g = gen {
        let! fn = Gen.elements [ SoftmaxFunction.Softmax; SoftmaxFunction.LogSoftmax ]
        let! s = shape
        let! x = values (count s)
        return { Fn = fn; Shape = s; X = x }
    }
    forAll g (fun c -> run (check (string c.Fn) [| c.Shape |] [| c.X |] (fun b i -> b.Apply(SoftmaxOp(c.Fn), i[0]))))

let private smoothing = Gen.oneof [ Gen.constant 0.0; uniform 0.0 0.5 ]

type HardLabelCase = { N: int; K: int; Labels: int[]; Smoothing: float; Logits: float[] }

[<Property(MaxTest = 60)>]
let ``softmax_cross_entropy's gradient matches central differences with class labels`` () =
    let g = gen {
        let! n = dim
        let! k = Gen.choose (1, 6)
        let! labels = Gen.arrayOfLength n (Gen.choose (0, k - 1))
        let! eps = smoothing
        let! logits = values (n * k)
        return { N = n; K = k; Labels = labels; Smoothing = eps; Logits = logits }
    }
    forAll g (fun c ->
        run (check "softmax_cross_entropy (class labels)" [| [| c.N; c.K |] |] [| c.Logits |] (fun b i ->
            b.SoftmaxCrossEntropy(i[0], b.Constant(c.Labels |> Array.map float, DType.I32, c.N), c.Smoothing))))

type SoftLabelCase = { N: int; K: int; Smoothing: float; Logits: float[]; Targets: float[] }

[<Property(MaxTest = 60)>]
let ``softmax_cross_entropy's gradient wrt logits and soft targets matches central differences`` () =
    let g = gen {
        let! n = dim
        let! k = Gen.choose (1, 6)
        let! eps = smoothing
        let! logits = values (n * k)
        let! raw = positive (n * k)
        // Rows that sum to 1, like Mixup's blends (the loss is defined for any targets, though).
        let targets = raw |> Array.chunkBySize k |> Array.collect (fun row -> row |> Array.map (fun v -> v / Array.sum row))
        return { N = n; K = k; Smoothing = eps; Logits = logits; Targets = targets }
    }
    forAll g (fun c ->
        let s = [| c.N; c.K |]
        run (check "softmax_cross_entropy (soft targets)" [| s; s |] [| c.Logits; c.Targets |] (fun b i ->
            b.SoftmaxCrossEntropy(i[0], i[1], c.Smoothing))))

// ---------------------------------------------------------------------------------------------
// Convolution, batch normalisation, pooling

type ConvCase = { Geometry: ConvGeometry; X: float[]; W: float[] }

[<Property(MaxTest = 80)>]
let ``conv2d's gradient wrt input and filter matches central differences`` () =
    let g = gen {
        let! geo = validConvGeometry
        let! x = values (count geo.XShape)
        let! w = values (count geo.WShape)
        return { Geometry = geo; X = x; W = w }
    }
    forAll g (fun c ->
        let geo = c.Geometry
        run (check "conv2d" [| geo.XShape; geo.WShape |] [| c.X; c.W |] (fun b i ->
            b.Conv2dRaw(i[0], i[1], stride = geo.Stride, padding = geo.Padding, dilation = geo.Dilation, groups = geo.Groups))))

type BatchNormCase = { Shape: int[]; X: float[]; Gamma: float[]; Beta: float[]; RunningMean: float[]; RunningVar: float[] }

let private batchNormCase = gen {
    let! s = shapeWithRank 2 4 |> Gen.where (fun s -> count s / s[1] >= 2)
    let c = s[1]
    let! x = values (count s)
    let! gamma = values c
    let! beta = values c
    let! mean = values c
    let! var = positive c
    return { Shape = s; X = x; Gamma = gamma; Beta = beta; RunningMean = mean; RunningVar = var }
}

/// Batch norm on inputs x, gamma, beta with the case's running statistics as constants: y, mean, variance.
let private batchNormOutputs (c: BatchNormCase) (b: GraphBuilder) (i: Node[]) =
    let ch = [| c.Shape[1] |]
    b.BatchNormWithStatistics(i[0], i[1], i[2], b.Constant(c.RunningMean, DType.F64, ch), b.Constant(c.RunningVar, DType.F64, ch))

[<Property(MaxTest = 60)>]
let ``batch_norm's training-mode gradient wrt x, gamma and beta matches central differences`` () =
    forAll batchNormCase (fun c ->
        let ch = [| c.Shape[1] |]
        let checkBn =
            { check "batch_norm (training)" [| c.Shape; ch; ch |] [| c.X; c.Gamma; c.Beta |] (fun b i ->
                let struct (y, _, _) = batchNormOutputs c b i
                y)
                with Mode = ProgramMode.Training }
        run checkBn)

[<Property(MaxTest = 40)>]
let ``batch_norm's gradient through its mean and variance outputs matches central differences`` () =
    // A loss reading all three outputs: the gradient rule gets (dy, dmean, dvar) at once.
    forAll batchNormCase (fun c ->
        let ch = [| c.Shape[1] |]
        let perChannel = Array.init c.Shape.Length (fun a -> if a = 1 then c.Shape[1] else 1)
        let checkBn =
            { check "batch_norm (statistics outputs)" [| c.Shape; ch; ch |] [| c.X; c.Gamma; c.Beta |] (fun b i ->
                let struct (y, mean, variance) = batchNormOutputs c b i
                let m, v = b.Reshape(mean, perChannel), b.Reshape(variance, perChannel)
                b.Add(b.Mul(y, b.Add(m, b.Scalar 1.0)), b.Mul(v, v)))
                with Mode = ProgramMode.Training }
        run checkBn)

type PoolCase = { Geometry: PoolGeometry; X: float[] }

[<Property(MaxTest = 80)>]
let ``max_pool2d's gradient matches central differences on distinct values`` () =
    let g = gen {
        let! geo = poolGeometry
        let! x = distinct (count geo.XShape)
        return { Geometry = geo; X = x }
    }
    forAll g (fun c ->
        let geo = c.Geometry
        run (check "max_pool2d" [| geo.XShape |] [| c.X |] (fun b i ->
            b.MaxPool2d(i[0], geo.Kernel, stride = geo.Stride, padding = geo.Padding))))

[<Property(MaxTest = 80)>]
let ``avg_pool2d's gradient matches central differences`` () =
    let g = gen {
        let! geo = poolGeometry
        let! x = values (count geo.XShape)
        return { Geometry = geo; X = x }
    }
    forAll g (fun c ->
        let geo = c.Geometry
        run (check "avg_pool2d" [| geo.XShape |] [| c.X |] (fun b i ->
            b.AvgPool2d(i[0], geo.Kernel, stride = geo.Stride, padding = geo.Padding))))
