// Build, test, benchmark and train targets. `dotnet cake` runs Test.
var target = Argument("target", "Test");
var configuration = Argument("configuration", "Release");

Task("Build").Does(() =>
{
    DotNetBuild("Graph.sln", new DotNetBuildSettings { Configuration = configuration });
});

Task("Format").Does(() =>
{
    var exit = StartProcess("dotnet", "format Graph.sln --verify-no-changes --no-restore");
    if (exit != 0) throw new Exception("dotnet format found files to fix: run `dotnet format Graph.sln`.");
});

Task("Test").IsDependentOn("Build").IsDependentOn("Format").Does(() =>
{
    // Microsoft.Testing.Platform (global.json) runs both test executables; the summary
    // it prints ("total / failed / succeeded / skipped") is what .ci/run reads.
    var exit = StartProcess("dotnet", $"test --solution Graph.sln -c {configuration} --no-build");
    if (exit != 0) throw new Exception($"tests failed (exit code {exit})");
});

Task("Bench").IsDependentOn("Build").Does(() =>
{
    var exit = StartProcess("dotnet", $"Train/bin/{configuration}/net10.0/sgtrain.dll bench --device cpu --threads 2");
    if (exit != 0) throw new Exception($"bench failed (exit code {exit})");
});

Task("Train").IsDependentOn("Build").Does(() =>
{
    var exit = StartProcess("dotnet", $"Train/bin/{configuration}/net10.0/sgtrain.dll train --dataset fashion-mnist --model resnet-preact-20 --out runs/default");
    if (exit != 0) throw new Exception($"training failed (exit code {exit})");
});

RunTarget(target);
