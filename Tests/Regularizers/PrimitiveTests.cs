using StaticGraph.Ops;
using Xunit;

namespace StaticGraph.Tests.Regularizers;

/// <summary>The primitives the data-space regularizers need: one_hot, box_mask, translate, erasing_boxes, ricap_layout.</summary>
public class PrimitiveTests
{
    [Fact]
    public void One_hot_rows_have_a_one_at_the_label()
    {
        var b = new GraphBuilder(DType.F32);
        var y = b.OneHot(b.Constant([2, 0, 3], DType.I32, 3), 4);
        Assert.Equal(new TensorType(DType.F32, new Shape(3, 4)), y.Type);
        Assert.Equal(new double[] { 0, 0, 1, 0, 1, 0, 0, 0, 0, 0, 0, 1 }, Runs.Value(ProgramMode.Inference, y));
    }

    [Fact]
    public void One_hot_refuses_labels_out_of_range_at_run_time_and_wrong_types_at_build_time()
    {
        var b = new GraphBuilder(DType.F64);
        var y = b.OneHot(b.Input("labels", DType.I32, 3), 4);
        var e = Assert.Throws<IndexOutOfRangeException>(() => Runs.Value(ProgramMode.Inference, y, feed: r => r.SetInput<int>("labels", new[] { 0, 4, 1 })));
        Assert.Contains("one_hot", e.Message);
        Assert.Contains("row 1 is 4", e.Message);
        var build = Assert.Throws<GraphBuildException>(() => b.OneHot(b.Input("f", DType.F64, 3), 4));
        Assert.Contains("class indices i32[N]", build.Message);
        Assert.Contains("f64[3]", build.Message);
    }

    [Fact]
    public void Box_mask_is_zero_exactly_inside_each_clipped_half_open_box()
    {
        var b = new GraphBuilder(DType.F64);
        int[] boxes = [1, 2, 3, 5, /* clipped */ -2, 3, 2, 9, /* empty */ 2, 2, 2, 4, /* outside */ 7, 7, 9, 9];
        var mask = b.BoxMask(b.Constant(boxes.Select(v => (double)v).ToArray(), DType.I32, 4, 4), 4, 6);
        Assert.Equal(new Shape(4, 1, 4, 6), mask.Shape);
        var values = Runs.Value(ProgramMode.Inference, mask);
        for (var m = 0; m < 4; m++)
            for (var y = 0; y < 4; y++)
                for (var x = 0; x < 6; x++)
                {
                    var inside = y >= boxes[4 * m] && y < boxes[4 * m + 2] && x >= boxes[4 * m + 1] && x < boxes[4 * m + 3];
                    Assert.Equal(inside ? 0 : 1, values[(m * 4 + y) * 6 + x]);
                }
        Assert.Contains("i32[M,4]", Assert.Throws<GraphBuildException>(() => b.BoxMask(b.Input("b", DType.I32, 4, 3), 4, 6)).Message);
    }

    [Fact]
    public void Translate_moves_each_image_by_its_offsets_with_zero_fill()
    {
        var b = new GraphBuilder(DType.F64);
        var x = Enumerable.Range(1, 2 * 2 * 3 * 4).Select(v => (double)v).ToArray();
        int[] offsets = [1, -2, -5, 0];
        var y = b.Translate(b.Constant(x, DType.F64, 2, 2, 3, 4), b.Constant(offsets.Select(v => (double)v).ToArray(), DType.I32, 2, 2));
        var values = Runs.Value(ProgramMode.Inference, y);
        for (var n = 0; n < 2; n++)
            for (var c = 0; c < 2; c++)
                for (var i = 0; i < 3; i++)
                    for (var j = 0; j < 4; j++)
                    {
                        var (si, sj) = (i - offsets[2 * n], j - offsets[2 * n + 1]);
                        var expected = si is >= 0 and < 3 && sj is >= 0 and < 4 ? x[((n * 2 + c) * 3 + si) * 4 + sj] : 0;
                        Assert.Equal(expected, values[((n * 2 + c) * 3 + i) * 4 + j]);
                    }
    }

    [Theory]
    [InlineData(1, 2)]
    [InlineData(-1, 3)]
    public void Translate_gradient_matches_central_differences(int ty, int tx) =>
        Runs.CheckGradients((b, x) => b.Translate(x[0], b.Constant([ty, tx], DType.I32, 1, 2)), [[2, 2, 3, 4]]);

    [Fact]
    public void Erasing_boxes_respect_the_area_and_aspect_ranges_and_erase_a_fraction_p()
    {
        const int n = 2000, h = 32, w = 28;
        const double areaMin = 0.02, areaMax = 0.4, minAspect = 0.3, p = 0.5;
        var b = new GraphBuilder(DType.F64);
        var boxes = Runs.Value(ProgramMode.Inference, b.ErasingBoxes("boxes", n, h, w, p, areaMin, areaMax, minAspect, 20));
        var erased = 0;
        for (var r = 0; r < n; r++)
        {
            var (y0, x0, y1, x1) = (boxes[4 * r], boxes[4 * r + 1], boxes[4 * r + 2], boxes[4 * r + 3]);
            if (y0 == 0 && x0 == 0 && y1 == 0 && x1 == 0) continue;
            erased++;
            var (eh, ew) = (y1 - y0, x1 - x0);
            Assert.True(y0 >= 0 && x0 >= 0 && y1 <= h && x1 <= w && eh >= 1 && ew >= 1 && eh < h && ew < w, $"row {r}: ({y0},{x0},{y1},{x1}) is not inside {h}x{w}");
            // Sides are floors of sqrt(S a) and sqrt(S / a): S in [min, max] H W and a in [minAspect, 1/minAspect].
            Assert.True(eh * ew <= areaMax * h * w, $"row {r}: area {eh * ew} is above {areaMax} of the image");
            Assert.True((eh + 1) * (ew + 1) > areaMin * h * w, $"row {r}: area {eh * ew} is too far below {areaMin} of the image");
            Assert.True(eh < (ew + 1) / minAspect && ew < (eh + 1) / minAspect, $"row {r}: {eh}x{ew} is outside the aspect range");
        }
        Assert.InRange(erased / (double)n, p - 5 * Math.Sqrt(p * (1 - p) / n), p + 5 * Math.Sqrt(p * (1 - p) / n));
    }

    [Fact]
    public void Erasing_boxes_give_up_when_no_rectangle_fits()
    {
        var b = new GraphBuilder(DType.F64);
        // The whole 2x2 image as a square: sides of 2, never below the image's, so every attempt is rejected.
        var boxes = Runs.Value(ProgramMode.Inference, b.ErasingBoxes("boxes", 50, 2, 2, 1, 1, 1, 1, 3));
        Assert.All(boxes, v => Assert.Equal(0, v));
        Assert.Contains("areaMin <= areaMax", Assert.Throws<GraphBuildException>(() => b.ErasingBoxes("bad", 4, 8, 8, 0.5, 0.5, 0.4)).Message);
    }

    [Theory]
    [InlineData(0.3, 0.8)]
    [InlineData(0.0, 1.0)]
    [InlineData(0.5, 0.5)]
    public void Ricap_layout_tiles_the_image_with_crops_taken_inside_their_sources(double rw, double rh)
    {
        const int h = 7, w = 9;
        var b = new GraphBuilder(DType.F64);
        var layout = Runs.Value(ProgramMode.Inference, b.RicapLayout("layout", b.Constant([rw, rh], DType.F64, 2), h, w));
        var (w0, h0) = ((int)Math.Round(w * rw, MidpointRounding.ToEven), (int)Math.Round(h * rh, MidpointRounding.ToEven));
        var covered = new int[h * w];
        for (var k = 0; k < 4; k++)
        {
            var row = layout.Skip(6 * k).Take(6).Select(v => (int)v).ToArray();
            Assert.Equal(k >= 2 ? h0 : 0, row[0]);
            Assert.Equal(k % 2 == 1 ? w0 : 0, row[1]);
            Assert.Equal(k >= 2 ? h : h0, row[2]);
            Assert.Equal(k % 2 == 1 ? w : w0, row[3]);
            var (sy, sx) = (row[0] - row[4], row[1] - row[5]);
            Assert.True(sy >= 0 && sx >= 0 && sy + row[2] - row[0] <= h && sx + row[3] - row[1] <= w, $"patch {k}'s crop leaves the source");
            for (var y = row[0]; y < row[2]; y++)
                for (var x = row[1]; x < row[3]; x++) covered[y * w + x]++;
        }
        Assert.All(covered, c => Assert.Equal(1, c));
    }
}
