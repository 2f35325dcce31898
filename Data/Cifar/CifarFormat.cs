namespace StaticGraph.Data;

/// <summary>
/// The record layout of one of the binary CIFAR files: one or two label bytes followed by a
/// 32x32 colour image stored channel by channel (1024 red, 1024 green, then 1024 blue bytes, each
/// plane row-major), which is already the CHW order <see cref="ImageDataset"/> uses.
/// </summary>
public sealed class CifarFormat
{
    /// <summary>Rows and columns of every image.</summary>
    public const int ImageSide = 32;

    /// <summary>Colour channels of every image (red, green, blue).</summary>
    public const int Channels = 3;

    /// <summary>Pixel bytes of one image: 3 x 32 x 32.</summary>
    public const int ImageBytes = Channels * ImageSide * ImageSide;

    private readonly int[] _labelRanges;

    private CifarFormat(string name, int[] labelRanges, int labelIndex)
    {
        Name = name;
        _labelRanges = labelRanges;
        LabelIndex = labelIndex;
    }

    /// <summary>CIFAR-10: a record is 1 label byte (0..9) and 3072 pixel bytes.</summary>
    public static CifarFormat Cifar10 { get; } = new("CIFAR-10", [10], labelIndex: 0);

    /// <summary>CIFAR-100 read with its 100 fine labels: a record is a coarse label byte, a fine label byte and 3072 pixel bytes.</summary>
    public static CifarFormat Cifar100Fine { get; } = new("CIFAR-100", [20, 100], labelIndex: 1);

    /// <summary>CIFAR-100 read with its 20 coarse labels (superclasses); same records as <see cref="Cifar100Fine"/>.</summary>
    public static CifarFormat Cifar100Coarse { get; } = new("CIFAR-100 (coarse labels)", [20, 100], labelIndex: 0);

    /// <summary>A name for messages, e.g. "CIFAR-10".</summary>
    public string Name { get; }

    /// <summary>Label bytes at the start of each record (1 for CIFAR-10, 2 for CIFAR-100).</summary>
    public int LabelBytes => _labelRanges.Length;

    /// <summary>Which of the label bytes is used as the class (0 for CIFAR-10 and CIFAR-100 coarse, 1 for CIFAR-100 fine).</summary>
    public int LabelIndex { get; }

    /// <summary>How many classes the label used ranges over.</summary>
    public int ClassCount => _labelRanges[LabelIndex];

    /// <summary>Bytes per record: the label bytes plus <see cref="ImageBytes"/>.</summary>
    public int RecordBytes => LabelBytes + ImageBytes;

    /// <summary>How many values label byte <paramref name="index"/> may take; every label byte is checked, whether used or not.</summary>
    public int LabelRange(int index) => _labelRanges[index];

    /// <summary>What label byte <paramref name="index"/> is called in messages.</summary>
    internal string LabelName(int index) => LabelBytes == 1 ? "label" : index == 0 ? "coarse label" : "fine label";

    /// <inheritdoc />
    public override string ToString() => Name;
}
