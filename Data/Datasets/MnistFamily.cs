namespace StaticGraph.Data;

/// <summary>
/// The one loader for every dataset in the MNIST file format (MNIST, Fashion-MNIST, Kuzushiji-MNIST):
/// 28x28 single-channel images, 10 classes, four IDX files with the same names.
/// </summary>
public static class MnistFamily
{
    /// <summary>Rows and columns of every image.</summary>
    public const int ImageSide = 28;

    /// <summary>Number of classes.</summary>
    public const int ClassCount = 10;

    /// <summary>Loads the training and test splits from <paramref name="dataDir"/>, or else from the spec's default folder.</summary>
    /// <exception cref="DatasetNotFoundException">Neither folder holds the four files.</exception>
    /// <exception cref="DataFormatException">A file is malformed, or labels and images disagree.</exception>
    public static (ImageDataset Train, ImageDataset Test) Load(MnistFamilySpec spec, string? dataDir)
    {
        MnistFamilyFiles files = MnistFamilyFiles.Locate(spec, dataDir);
        ImageDataset train = LoadSplit(spec, $"{spec.Name} train", files.TrainImages, files.TrainLabels);
        ImageDataset test = LoadSplit(spec, $"{spec.Name} test", files.TestImages, files.TestLabels);
        return (train, test);
    }

    private static ImageDataset LoadSplit(MnistFamilySpec spec, string name, string imagesPath, string labelsPath)
    {
        // Labels first: the file is small, so a mismatched pair fails before the big decode.
        IdxArray labels = IdxFile.Read(labelsPath);
        if (labels.Dimensions.Length != 1)
            throw FormatError(labelsPath, labels, 3, $"a label file has 1 dimension, this one has shape {labels.ShapeText}");

        IdxArray images = IdxFile.Read(imagesPath);
        if (images.Dimensions is not [_, ImageSide, ImageSide])
            throw FormatError(imagesPath, images, 3, $"expected images of shape Nx{ImageSide}x{ImageSide}, found {images.ShapeText}");

        int count = images.Dimensions[0];
        if (labels.Dimensions[0] != count)
        {
            throw FormatError(labelsPath, labels, 4,
                $"holds {labels.Dimensions[0]} labels but {Path.GetFileName(imagesPath)} holds {count} images");
        }

        return new ImageDataset(
            name, images.Data, CheckedLabels(labelsPath, labels), channels: 1, ImageSide, ImageSide, ClassCount,
            mean: [spec.Mean], std: [spec.Std]);
    }

    private static int[] CheckedLabels(string path, IdxArray labels)
    {
        var values = new int[labels.Data.Length];
        for (int i = 0; i < values.Length; i++)
        {
            values[i] = labels.Data[i];
            if (values[i] >= ClassCount)
                throw FormatError(path, labels, labels.DataOffset + i, $"label {values[i]} of image {i} is outside 0..{ClassCount - 1}");
        }
        return values;
    }

    private static DataFormatException FormatError(string path, IdxArray array, long offset, string problem) =>
        new(path, offset, problem, array.WasCompressed);
}
