using System.IO.Hashing;
using System.Text;
using WildLong.Core.Graphs;

namespace WildLong.Core.Tests.Graphs;

public sealed class RecordSignaturesTests
{
    public static TheoryData<string, string> Nodes => new()
    {
        { "task_type", "summarize" },
        { "domain", "droit des sociétés — contrats" },
        { "user_intent", "比较两份合同的违约条款" },
        { "output_format", "emoji 📄 list" },
        { "constraint", new string('x', 700) + "é" },
        { "tone", "lone \uD800 surrogate" },
        { string.Empty, string.Empty },
    };

    [Theory]
    [MemberData(nameof(Nodes))]
    public void A_node_hash_is_xxhash64_of_field_unit_separator_value_in_utf8(string field, string value)
    {
        // Stored graphs keep these hashes in their record signatures: the format must not change.
        var expected = XxHash64.HashToUInt64(Encoding.UTF8.GetBytes(field + "\u001F" + value));
        Assert.Equal(expected, RecordSignatures.NodeHash(field, value));
    }
}
