using Parquet.Schema;

namespace WildLong.Core.Queries;

/// <summary>
/// Which columns of a Parquet file hold the query, its id, language and source. Decided once per file from the
/// schema, so a file of the wrong shape is rejected with one message listing what is missing or mismatched.
/// </summary>
internal sealed class ParquetQueryLayout
{
    private ParquetQueryLayout()
    {
    }

    /// <summary>Flat layout: the text column. Null for the conversation layout.</summary>
    public DataField? Text { get; private init; }

    /// <summary>Conversation layout: the repeated role and content leaves of the turn structs.</summary>
    public DataField? Role { get; private init; }

    public DataField? Content { get; private init; }

    public DataField? Id { get; private init; }

    public DataField? Language { get; private init; }

    public DataField? Source { get; private init; }

    /// <summary>"wildchat" for WildChat's conversation layout, which says where it comes from.</summary>
    public string? ImpliedSource { get; private init; }

    public string TextDescription { get; private init; } = "text";

    public static ParquetQueryLayout? Detect(ParquetSchema schema, out string? error)
    {
        ArgumentNullException.ThrowIfNull(schema);
        var problems = new List<string>();
        var top = schema.Fields.ToDictionary(f => f.Name, StringComparer.Ordinal);
        var id = OptionalScalar(top, problems, allowNumber: true, "conversation_hash", "conversation_id", "id");
        var language = OptionalScalar(top, problems, allowNumber: false, "language");
        var source = OptionalScalar(top, problems, allowNumber: false, "source");

        if (top.TryGetValue("conversation", out var conversation))
        {
            var turns = (conversation as ListField)?.Item as StructField;
            var role = turns?.Fields.OfType<DataField>().FirstOrDefault(f => f.Name == "role");
            var content = turns?.Fields.OfType<DataField>().FirstOrDefault(f => f.Name == "content");
            if (turns is null)
            {
                problems.Add($"column 'conversation' must be a list of structs, found {Describe(conversation)}");
            }
            else
            {
                if (role is null || !IsString(role) || role.MaxRepetitionLevel != 1)
                {
                    problems.Add(role is null ? "column 'conversation' turns have no 'role' field" : $"'conversation.role' must be a string, found {Describe(role)}");
                }

                if (content is null || !IsString(content) || content.MaxRepetitionLevel != 1)
                {
                    problems.Add(content is null ? "column 'conversation' turns have no 'content' field" : $"'conversation.content' must be a string, found {Describe(content)}");
                }
            }

            return Result(problems, schema, out error, new ParquetQueryLayout
            {
                Role = role,
                Content = content,
                Id = id,
                Language = language,
                Source = source,
                ImpliedSource = "wildchat",
                TextDescription = "conversation",
            });
        }

        var textName = top.ContainsKey("text") ? "text" : top.ContainsKey("prompt") ? "prompt" : null;
        if (textName is null)
        {
            problems.Insert(0, "missing column: need a 'conversation' list of {role, content} (WildChat) or a 'text' or 'prompt' string column");
            error = Message(problems, schema);
            return null;
        }

        var text = top[textName] as DataField;
        if (text is null || !IsString(text) || text.MaxRepetitionLevel != 0)
        {
            problems.Add($"column '{textName}' must be a string, found {Describe(top[textName])}");
        }

        return Result(problems, schema, out error, new ParquetQueryLayout
        {
            Text = text,
            Id = id,
            Language = language,
            Source = source,
            TextDescription = textName,
        });
    }

    private static ParquetQueryLayout? Result(List<string> problems, ParquetSchema schema, out string? error, ParquetQueryLayout layout)
    {
        if (problems.Count > 0)
        {
            error = Message(problems, schema);
            return null;
        }

        error = null;
        return layout;
    }

    private static DataField? OptionalScalar(Dictionary<string, Field> top, List<string> problems, bool allowNumber, params string[] names)
    {
        foreach (var name in names)
        {
            if (!top.TryGetValue(name, out var field))
            {
                continue;
            }

            if (field is DataField data && data.MaxRepetitionLevel == 0 && (IsString(data) || (allowNumber && IsInteger(data))))
            {
                return data;
            }

            problems.Add($"column '{name}' must be a string{(allowNumber ? " or an integer" : string.Empty)}, found {Describe(field)}");
            return null;
        }

        return null;
    }

    private static bool IsString(DataField field) => field.ClrType == typeof(string) || field.ClrType == typeof(ReadOnlyMemory<char>);

    private static bool IsInteger(DataField field) => field.ClrType == typeof(long) || field.ClrType == typeof(int);

    private static string Describe(Field field) => field switch
    {
        DataField data when IsString(data) => data.MaxRepetitionLevel > 0 ? "repeated string" : "string",
        DataField data => data.MaxRepetitionLevel > 0 ? $"repeated {data.ClrType.Name}" : data.ClrType.Name,
        ListField => "list",
        StructField => "struct",
        MapField => "map",
        _ => field.SchemaType.ToString(),
    };

    private static string Message(List<string> problems, ParquetSchema schema)
        => "unsupported Parquet schema: " + string.Join("; ", problems)
            + " (columns present: " + string.Join(", ", schema.Fields.Select(f => $"{f.Name} ({Describe(f)})")) + ")";
}
