using System.Globalization;

namespace StaticGraph.Train.Training;

/// <summary>One row of metrics.csv.</summary>
public sealed record EpochMetrics(int Epoch, double TrainLoss, double TrainAcc, double TestLoss, double TestAcc, double Lr, double Seconds)
{
    /// <summary>The CSV header.</summary>
    public const string CsvHeader = "epoch,train_loss,train_acc,test_loss,test_acc,lr,seconds";

    /// <summary>The row in CSV, invariant culture, round-trippable numbers.</summary>
    public string ToCsv() => string.Join(",",
        Epoch.ToString(CultureInfo.InvariantCulture),
        F(TrainLoss), F(TrainAcc), F(TestLoss), F(TestAcc), F(Lr), Seconds.ToString("F3", CultureInfo.InvariantCulture));

    private static string F(double v) => v.ToString("R", CultureInfo.InvariantCulture);
}
