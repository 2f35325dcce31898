using StaticGraph.Checkpoints;
using StaticGraph.Models;
using StaticGraph.Regularizers;
using StaticGraph.Train;
using StaticGraph.Train.Recipes;
using StaticGraph.Train.Training;
using Xunit;

namespace StaticGraph.Tests.Train;

/// <summary>The recipe book: valid configurations, docs/recipes.md generated from it, and `train --recipe` with overrides.</summary>
public class RecipeTests
{
    [Fact]
    public void Docs_recipes_md_holds_the_generated_table()
    {
        var doc = File.ReadAllText(RepositoryFiles.PathOf("docs/recipes.md")).ReplaceLineEndings("\n");
        var begin = doc.IndexOf(RecipeTable.BeginMarker, StringComparison.Ordinal);
        var end = doc.IndexOf(RecipeTable.EndMarker, StringComparison.Ordinal);
        Assert.True(begin >= 0 && end > begin, "docs/recipes.md has lost its recipes:begin/end markers");
        var generated = doc[begin..(end + RecipeTable.EndMarker.Length + 1)];
        Assert.True(RecipeTable.Markdown(RecipeBook.All) == generated,
            "docs/recipes.md differs from the recipe book: regenerate its table with `sgtrain recipes --markdown`");
    }

    [Fact]
    public void Every_recipe_builds_a_model_an_objective_and_a_schedule()
    {
        Assert.Equal(RecipeBook.All.Count, RecipeBook.All.Select(r => r.Name).Distinct().Count());
        foreach (var recipe in RecipeBook.All)
        {
            var o = recipe.Options;
            Assert.Contains(o.Dataset, DatasetCatalog.Names);
            ModelZoo.Get(o.Model, o.Regularizers);
            RegularizerCatalog.Objective(o.Regularizers);
            Assert.True(ScheduleFactory.Create(o, 100).At(0) == o.Lr, $"{recipe.Name}: the schedule does not start at lr {o.Lr}");
            Assert.Equal("runs/" + recipe.Name, o.OutDir);
            Assert.Contains($"-{o.Epochs}ep", recipe.Name);
            Assert.Matches(@"^\d+\.\d+", recipe.PublishedError);
        }
    }

    [Fact]
    public void Multistep_recipes_decay_at_their_milestone_epochs()
    {
        var wrn = RecipeBook.Get("hysts-cifar10-wrn-28-10-200ep").Options;
        var schedule = ScheduleFactory.Create(wrn, stepsPerEpoch: 10);
        Assert.Equal(0.1, schedule.At(599), 12);
        Assert.Equal(0.02, schedule.At(600), 12);
        Assert.Equal(0.004, schedule.At(1200), 12);
        Assert.Equal(0.0008, schedule.At(1600), 12);
    }

    [Fact]
    public void Unknown_recipe_is_one_line_naming_where_names_are_listed()
    {
        var (exit, _, error) = Cli.Run("train", "--recipe", "no-such-recipe");
        Assert.Equal(2, exit);
        Assert.Equal("error: unknown recipe 'no-such-recipe'; `sgtrain recipes --names` lists the " + RecipeBook.All.Count + " recipes", error.Trim());
    }

    [Fact]
    public void Recipes_command_prints_the_table_and_the_names()
    {
        var (exit, names, _) = Cli.Run("recipes", "--names");
        Assert.Equal(0, exit);
        Assert.Equal(RecipeBook.All.Select(r => r.Name), names.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        var (tableExit, table, _) = Cli.Run("recipes");
        Assert.Equal(0, tableExit);
        Assert.Contains("gastaldi2017-cifar100-resnext-29-2x4x64d-sei-1800ep", table);
        Assert.Contains("15.85", table);
    }

    [Fact]
    public void Train_with_a_recipe_keeps_its_settings_and_takes_every_option_given()
    {
        if (!File.Exists("/usr/share/datasets/fashion-mnist/train-images-idx3-ubyte.gz"))
            Assert.Skip("Fashion-MNIST is not installed (apt-get install dataset-fashion-mnist)");
        var dir = Path.Combine(Path.GetTempPath(), "sg-recipe-" + Guid.NewGuid().ToString("N"));
        try
        {
            var (exit, _, error) = Cli.Run("train", "--recipe", "hysts-fashion-mnist-resnet-preact-20-cutout16-200ep", "--epochs", "1",
                "--batch-size", "64", "--train-limit", "128", "--test-limit", "64", "--threads", "2", "--device", "cpu", "--no-flip", "--out", dir);
            Assert.True(exit == 0, error);
            var saved = Trainer.OptionsOf(CheckpointFile.Read(Path.Combine(dir, Trainer.CheckpointName)));
            var recipe = RecipeBook.Get("hysts-fashion-mnist-resnet-preact-20-cutout16-200ep").Options;
            Assert.Equal((1, 64, dir, false), (saved.Epochs, saved.BatchSize, saved.OutDir, saved.HorizontalFlip));
            Assert.Equal((recipe.Lr, recipe.WeightDecay, recipe.Schedule, recipe.Regularizers, recipe.RandomCrop),
                (saved.Lr, saved.WeightDecay, saved.Schedule, saved.Regularizers, saved.RandomCrop));
        }
        finally
        {
            if (Directory.Exists(dir)) Directory.Delete(dir, recursive: true);
        }
    }
}
