using ScottPlot;

namespace StaticGraph.Train.Training;

/// <summary>Writes the loss and accuracy curves of a run as a PNG.</summary>
public static class CurvesPlot
{
    /// <summary>Plots train/test loss (left) and train/test accuracy (right) against the epoch.</summary>
    public static void Write(string path, IReadOnlyList<EpochMetrics> history)
    {
        var epochs = history.Select(m => (double)m.Epoch).ToArray();
        var multiplot = new Multiplot();
        multiplot.AddPlots(2);
        multiplot.Layout = new ScottPlot.MultiplotLayouts.Columns();

        var loss = multiplot.GetPlot(0);
        loss.Add.Scatter(epochs, history.Select(m => m.TrainLoss).ToArray()).LegendText = "train";
        loss.Add.Scatter(epochs, history.Select(m => m.TestLoss).ToArray()).LegendText = "test";
        loss.Title("loss");
        loss.XLabel("epoch");
        loss.ShowLegend();

        var acc = multiplot.GetPlot(1);
        acc.Add.Scatter(epochs, history.Select(m => m.TrainAcc * 100).ToArray()).LegendText = "train";
        acc.Add.Scatter(epochs, history.Select(m => m.TestAcc * 100).ToArray()).LegendText = "test";
        acc.Title("accuracy (%)");
        acc.XLabel("epoch");
        acc.ShowLegend();

        multiplot.SavePng(path, 1000, 400);
    }
}
