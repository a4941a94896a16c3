using Microsoft.Extensions.Options;
using WildLong.Core.Prompts;
using WildLong.Core.Tests.Support;

namespace WildLong.Core.Tests.Prompts;

public sealed class PromptLibraryTests
{
    [Fact]
    public void Every_built_in_prompt_parses_and_names_itself_like_its_file()
    {
        Assert.Contains("metainfo-extraction", PromptLibrary.BuiltInNames);
        Assert.Contains("quality-judge", PromptLibrary.BuiltInNames);
        foreach (var name in PromptLibrary.BuiltInNames)
        {
            var prompt = PromptLibrary.Default.Get(name);
            Assert.Equal(name, prompt.Name);
            Assert.False(string.IsNullOrWhiteSpace(prompt.User));
            Assert.Matches(@"^\d+$", prompt.Version);
        }
    }

    [Fact]
    public void An_override_file_replaces_the_built_in_prompt_and_marks_its_version()
    {
        using var temp = TestData.CreateTempDirectory();
        File.WriteAllText(temp.File("quality-judge.prompt.txt"), "# name: quality-judge\n# version: 7\n### system\nBe strict.\n### user\nJudge {{instruction}}.\n");
        var library = new PromptLibrary(Options.Create(new PromptOptions { OverrideDirectory = temp.Path }));

        var judge = library.Get("quality-judge");
        var builtIn = PromptLibrary.Default.Get("quality-judge");

        Assert.Equal("Be strict.", judge.System);
        Assert.StartsWith("7+override.", judge.Version, StringComparison.Ordinal);
        Assert.NotEqual(builtIn.Id, judge.Id);
        Assert.Equal("Judge this.", judge.RenderUser(new Dictionary<string, string> { ["instruction"] = "this" }));
        Assert.Equal(PromptLibrary.Default.Get("response-generation").Id, library.Get("response-generation").Id);
    }

    [Fact]
    public void Rendering_a_missing_placeholder_names_the_prompt_and_the_placeholder()
    {
        var prompt = PromptTemplate.Parse("# name: p\n# version: 1\n### user\nHello {{ who }} and {{what}}\n", "test");

        Assert.Equal("Hello you and that", prompt.RenderUser(new Dictionary<string, string> { ["who"] = "you", ["what"] = "that" }));
        var error = Assert.Throws<KeyNotFoundException>(() => prompt.RenderUser(new Dictionary<string, string> { ["who"] = "you" }));
        Assert.Contains("p@1", error.Message, StringComparison.Ordinal);
        Assert.Contains("what", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("### user\nhi\n", "must start with")]
    [InlineData("# name: p\n# version: 1\n### system\nonly system\n", "no '### user' section")]
    [InlineData("# name: p\n# version: 1\n### assistant\nx\n", "unknown prompt section 'assistant'")]
    public void Malformed_prompt_files_are_rejected_with_origin_and_reason(string text, string reason)
    {
        var error = Assert.Throws<FormatException>(() => PromptTemplate.Parse(text, "my.prompt.txt"));

        Assert.StartsWith("my.prompt.txt", error.Message, StringComparison.Ordinal);
        Assert.Contains(reason, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Unknown_prompt_names_list_the_available_ones()
    {
        var error = Assert.Throws<KeyNotFoundException>(() => PromptLibrary.Default.Get("no-such-prompt"));

        Assert.Contains("metainfo-extraction", error.Message, StringComparison.Ordinal);
    }
}
