using StaticGraph.Backend.Cpu;
using Xunit;

namespace StaticGraph.Tests.Cpu;

/// <summary>
/// The row partition of elementwise kernels: a tensor whose operands all merge into one contiguous row is still cut
/// into several tasks (else a residual add of a whole activation ran on one thread), and every row still addresses
/// the operands' elements it did before the cut.
/// </summary>
public class ElementwiseLayoutTests
{
    [Fact]
    public void Same_shape_operands_of_a_large_tensor_make_several_tasks()
    {
        var shape = new Shape(128, 16, 28, 28);
        var layout = new ElementwiseLayout(shape, shape, shape);

        Assert.Equal(shape.ElementCount, layout.Rows * layout.Inner);
        Assert.True(layout.Inner <= ElementwiseLayout.ElementsPerTask, $"rows of {layout.Inner} elements");
        Assert.True(layout.Tasks >= 32, $"{layout.Tasks} tasks");
        for (var operand = 0; operand < 2; operand++)
        {
            Assert.Equal(1, layout.Strides[operand][^1]);
            foreach (var row in new long[] { 0, 1, layout.Rows / 2, layout.Rows - 1 })
                Assert.Equal(row * layout.Inner, layout.RowOffset(operand, row));
        }
    }

    [Fact]
    public void A_broadcast_operand_keeps_its_offsets_when_the_row_is_cut()
    {
        // b is [1, 4096·k]: broadcast along the batch, contiguous along the rest, so the rest merges into one long row.
        var output = new Shape(3, 16, 64, 64);
        var layout = new ElementwiseLayout(output, output, new Shape(1, 16, 64, 64));

        var perImage = 16L * 64 * 64;
        for (long row = 0; row < layout.Rows; row++)
        {
            var element = row * layout.Inner;
            Assert.Equal(element, layout.RowOffset(0, row));
            Assert.Equal(element % perImage, layout.RowOffset(1, row));
        }
    }

    [Fact]
    public void A_length_with_no_divisor_near_a_task_stays_one_row()
    {
        // 40009 is prime: no row length in [ElementsPerTask / 8, ElementsPerTask] divides it.
        var shape = new Shape(40009);
        var layout = new ElementwiseLayout(shape, shape, shape);

        Assert.Equal(1, layout.Rows);
        Assert.Equal(40009, layout.Inner);
    }
}
