/// FsCheck generators shared by the properties: small shapes, broadcast-compatible shapes,
/// convolution and pooling geometries, and values kept away from the kinks of the ops under test.
module Generators

open FsCheck
open FsCheck.FSharp

/// Element count of a shape.
let count (shape: int[]) = Array.fold (*) 1 shape

/// Formats a shape as the library does: [2,3].
let showShape (shape: int[]) = "[" + (shape |> Array.map string |> String.concat ",") + "]"

// ---------------------------------------------------------------------------------------------
// Shapes

/// One dimension, 1 to 5.
let dim = Gen.choose (1, 5)

/// A shape of the given rank with dimensions 1 to 5.
let shapeOfRank rank = Gen.arrayOfLength rank dim

/// A shape of rank 1 to 4 with dimensions 1 to 5.
let shape = gen {
    let! rank = Gen.choose (1, 4)
    return! shapeOfRank rank
}

/// A shape of rank between lo and hi.
let shapeWithRank lo hi = gen {
    let! rank = Gen.choose (lo, hi)
    return! shapeOfRank rank
}

/// A shape that broadcasts to <c>target</c>: a suffix of it with some dimensions replaced by 1.
let broadcastableTo (target: int[]) = gen {
    let! rank = Gen.choose (0, target.Length)
    let suffix = target[target.Length - rank ..]
    let! ones = Gen.arrayOfLength rank (Gen.elements [ true; false ])
    // Rank 0 gives a scalar operand, which broadcasts to anything.
    return Array.map2 (fun d one -> if one then 1 else d) suffix ones
}

/// Two shapes that broadcast together, and the shape they broadcast to.
type BroadcastPair = { A: int[]; B: int[]; Out: int[] }

/// NumPy broadcasting of two shapes (None when they do not broadcast).
let broadcastShapes (a: int[]) (b: int[]) =
    let rank = max a.Length b.Length
    let at (s: int[]) i = if i < rank - s.Length then 1 else s[i - (rank - s.Length)]
    let dims = Array.init rank (fun i -> at a i, at b i)
    if dims |> Array.forall (fun (x, y) -> x = y || x = 1 || y = 1) then Some(dims |> Array.map (fun (x, y) -> max x y))
    else None

/// A pair of broadcast-compatible shapes of rank up to 4 (one of them may be a scalar).
let broadcastPair = gen {
    let! target = shape
    let! a = broadcastableTo target
    let! b = broadcastableTo target
    let out = (broadcastShapes a b).Value
    return { A = a; B = b; Out = out }
}

/// A random shape of the same element count as <c>shape</c> (rank 1 to 4): its prime factors
/// dealt into buckets.
let reshapeTarget (source: int[]) = gen {
    let n = count source
    let rec factors n p acc =
        if n = 1 then List.rev acc
        elif n % p = 0 then factors (n / p) p (p :: acc)
        else factors n (p + 1) acc
    let primes = factors n 2 []
    let! rank = Gen.choose (1, 4)
    let! buckets = Gen.arrayOfLength primes.Length (Gen.choose (0, rank - 1))
    let dims = Array.create rank 1
    List.iteri (fun i p -> dims[buckets[i]] <- dims[buckets[i]] * p) primes
    return dims
}

/// A non-empty set of distinct axes of a rank, each written either as is or negatively.
let axesOf rank = gen {
    let! chosen = Gen.subListOf [ 0 .. rank - 1 ] |> Gen.where (fun l -> not (List.isEmpty l))
    let! written = chosen |> List.map (fun a -> Gen.elements [ a; a - rank ]) |> Gen.sequenceToList
    let! shuffled = Gen.shuffle written
    return List.ofArray shuffled
}

/// A permutation of the axes 0..rank-1.
let permutation rank = Gen.shuffle [ 0 .. rank - 1 ] |> Gen.map List.ofArray

// ---------------------------------------------------------------------------------------------
// Values

/// A double uniform in [lo, hi] on a fine grid.
let uniform lo hi =
    Gen.choose (0, 1 <<< 30) |> Gen.map (fun i -> lo + (hi - lo) * float i / float (1 <<< 30))

/// n values uniform in [-2, 2].
let values n = Gen.arrayOfLength n (uniform -2.0 2.0)

/// n values in [-2, 2] with |x| > 0.05: no perturbation of 1e-6 crosses the kink at 0 (relu, abs, sign, step).
let awayFromZero n = gen {
    let! magnitudes = Gen.arrayOfLength n (uniform 0.05 2.0)
    let! signs = Gen.arrayOfLength n (Gen.elements [ -1.0; 1.0 ])
    return Array.map2 (*) magnitudes signs
}

/// n values in [0.2, 2]: log, sqrt, reciprocal and denominators stay smooth.
let positive n = Gen.arrayOfLength n (uniform 0.2 2.0)

/// n distinct values in [-2, 2], in random order, at least 0.9 * 4 / n (over 5e-3 for n up to 625)
/// apart: every maximum is unique and stays the maximum under a perturbation of 1e-6.
let distinct n = gen {
    let spacing = 4.0 / float n
    let! jitter = Gen.arrayOfLength n (uniform 0.0 (0.1 * spacing))
    let grid = Array.init n (fun i -> -2.0 + spacing * (float i + 0.45) + jitter[i])
    let! shuffled = Gen.shuffle grid
    return shuffled
}

/// Two arrays of values whose elements pairwise differ by at least 0.03, however they are
/// broadcast against each other: the first lies near multiples of 0.1, the second near odd
/// multiples of 0.05 (max, min, greater, equal have kinks where the operands meet).
let separatedPair na nb =
    let near offset = gen {
        let! k = Gen.choose (-19, 19)
        let! u = uniform 0.0 0.02
        return 0.1 * float k + offset + u
    }
    Gen.zip (Gen.arrayOfLength na (near 0.0)) (Gen.arrayOfLength nb (near 0.05))

// ---------------------------------------------------------------------------------------------
// Geometries

/// A valid 2-D convolution: x [N,C,H,W], w [OC,C/groups,KH,KW].
type ConvGeometry =
    { N: int; C: int; H: int; W: int; OC: int; Groups: int
      KH: int; KW: int; Stride: int; Padding: int; Dilation: int }
    member g.XShape = [| g.N; g.C; g.H; g.W |]
    member g.WShape = [| g.OC; g.C / g.Groups; g.KH; g.KW |]
    member g.OutExtent(input, kernel) = (input + 2 * g.Padding - g.Dilation * (kernel - 1) - 1) / g.Stride + 1
    member g.OutShape = [| g.N; g.OC; g.OutExtent(g.H, g.KH); g.OutExtent(g.W, g.KW) |]

/// Batch 1–2, channels 1–4 with groups dividing them, H/W 3–7, kernel 1–3, stride 1–2, padding
/// 0–2, dilation 1–2, with the dilated kernel fitting the padded input.
let convGeometry = gen {
    let! groups = Gen.elements [ 1; 1; 2; 3; 4 ]
    let! cPerGroup = Gen.choose (1, 4 / groups)
    let! ocPerGroup = Gen.choose (1, 4 / groups)
    let! n = Gen.choose (1, 2)
    let! h = Gen.choose (3, 7)
    let! w = Gen.choose (3, 7)
    let! kh = Gen.choose (1, 3)
    let! kw = Gen.choose (1, 3)
    let! stride = Gen.choose (1, 2)
    let! padding = Gen.choose (0, 2)
    let! dilation = Gen.choose (1, 2)
    return
        { N = n; C = groups * cPerGroup; H = h; W = w; OC = groups * ocPerGroup; Groups = groups
          KH = kh; KW = kw; Stride = stride; Padding = padding; Dilation = dilation }
}
let private fits (g: ConvGeometry) =
    g.Dilation * (g.KH - 1) + 1 <= g.H + 2 * g.Padding && g.Dilation * (g.KW - 1) + 1 <= g.W + 2 * g.Padding

/// Only geometries whose dilated kernel fits the padded input.
let validConvGeometry = convGeometry |> Gen.where fits

/// A valid pooling: x [N,C,H,W], a square window of 1–3, stride 1–2, padding at most half the window.
type PoolGeometry =
    { N: int; C: int; H: int; W: int; Kernel: int; Stride: int; Padding: int }
    member g.XShape = [| g.N; g.C; g.H; g.W |]
    member g.OutExtent input = (input + 2 * g.Padding - g.Kernel) / g.Stride + 1
    member g.OutShape = [| g.N; g.C; g.OutExtent g.H; g.OutExtent g.W |]

let poolGeometry = gen {
    let! n = Gen.choose (1, 2)
    let! c = Gen.choose (1, 3)
    let! h = Gen.choose (3, 7)
    let! w = Gen.choose (3, 7)
    let! kernel = Gen.choose (1, 3)
    let! stride = Gen.choose (1, 2)
    let! padding = Gen.choose (0, kernel / 2)
    return { N = n; C = c; H = h; W = w; Kernel = kernel; Stride = stride; Padding = padding }
}
