using System.CommandLine;
using StaticGraph.Train.Recipes;

namespace StaticGraph.Train.Commands;

/// <summary>`recipes`: the published rows `train --recipe` reproduces, as a table, as names, or as docs/recipes.md's table.</summary>
public static class RecipesCommand
{
    /// <summary>The command.</summary>
    public static Command Create()
    {
        var names = new Option<bool>("--names") { Description = "One recipe name per line" };
        var markdown = new Option<bool>("--markdown") { Description = "The generated part of docs/recipes.md" };
        var command = new Command("recipes", "List the recipes of the published results (train --recipe NAME runs one)") { names, markdown };
        command.SetAction(r =>
        {
            if (r.GetValue(names)) foreach (var recipe in RecipeBook.All) Console.WriteLine(recipe.Name);
            else if (r.GetValue(markdown)) Console.Write(RecipeTable.Markdown(RecipeBook.All));
            else Console.Write(RecipeTable.Text(RecipeBook.All));
            return 0;
        });
        return command;
    }
}
