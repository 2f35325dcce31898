namespace StaticGraph.Train.Training;

/// <summary>Host-side scoring of a batch of logits: summed cross-entropy and correct predictions.</summary>
public static class LogitStatistics
{
    /// <summary>Sum of per-row cross-entropy (in double) and number of rows whose arg-max is the label, over the first <paramref name="rows"/> rows.</summary>
    public static (double LossSum, int Correct) Score(ReadOnlySpan<float> logits, ReadOnlySpan<int> labels, int classes, int rows)
    {
        double loss = 0;
        var correct = 0;
        for (var r = 0; r < rows; r++)
        {
            var row = logits.Slice(r * classes, classes);
            var best = 0;
            for (var k = 1; k < classes; k++) if (row[k] > row[best]) best = k;
            double sum = 0;
            for (var k = 0; k < classes; k++) sum += Math.Exp(row[k] - row[best]);
            loss += Math.Log(sum) - (row[labels[r]] - row[best]);
            if (best == labels[r]) correct++;
        }
        return (loss, correct);
    }
}
