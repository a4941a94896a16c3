using System.Text.Json;

namespace WildLong.Core.Model;

/// <summary>
/// A model answer declared as a record: <see cref="Schema"/> is the strict JSON schema generated from
/// <typeparamref name="T"/> (snake_case names in declaration order, every property required, no additional
/// properties, nullable where the record says so), and <see cref="Read"/> turns a checked answer into the record.
/// </summary>
/// <remarks>
/// Why generated: a schema written as a string literal and read back with <c>GetProperty("score")</c> drifts from
/// the code that reads it without a compiler noticing. The declaration order of the record is the order the model
/// writes its answer in, so put what it should think about first (e.g. a reason before a verdict). Schemas whose
/// values come from configuration (the meta-information fields, the document types) stay built at run time.
/// </remarks>
public static class StructuredAnswer<T>
{
    /// <summary>The strict schema sent as the response format (see <see cref="StructuredAnswerJson"/>).</summary>
    public static JsonElement Schema { get; } = StructuredAnswerJson.CreateSchema(typeof(T));

    /// <summary>The answer as <typeparamref name="T"/>.</summary>
    /// <exception cref="JsonException">The value does not fit <typeparamref name="T"/> (e.g. a number out of range).</exception>
    public static T Read(JsonElement value)
        => value.Deserialize<T>(StructuredAnswerJson.SerializerOptions)
            ?? throw new JsonException($"The answer is null, not a {typeof(T).Name}.");

    /// <summary>
    /// A check for <see cref="LlmCaller.CompleteJsonAsync"/> that reads the answer as <typeparamref name="T"/> and
    /// then applies <paramref name="check"/> (null: reading is the check); an answer that cannot be read is rejected
    /// with the reason, which goes back to the model like any other check's message.
    /// </summary>
    public static Func<JsonElement, string?> Check(Func<T, string?>? check = null)
        => value =>
        {
            T answer;
            try
            {
                answer = Read(value);
            }
            catch (JsonException error)
            {
                return $"the answer could not be read: {error.Message}";
            }

            return check?.Invoke(answer);
        };
}
