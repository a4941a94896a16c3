using Microsoft.Extensions.Options;

namespace WildLong.Core.DependencyInjection;

/// <summary>
/// The <see cref="IValidateOptions{TOptions}"/> of an options type that checks itself (a <c>Validate()</c> that throws
/// naming the setting, which components constructed without DI call too): its message becomes the validation failure,
/// so a bad setting fails the host at start (<c>ValidateOnStart</c>) with an <see cref="OptionsValidationException"/>
/// like every other options type, not at first use or at registration.
/// </summary>
public sealed class CheckedOptionsValidator<TOptions>(Action<TOptions> validate) : IValidateOptions<TOptions>
    where TOptions : class
{
    private readonly Action<TOptions> validate = validate ?? throw new ArgumentNullException(nameof(validate));

    public ValidateOptionsResult Validate(string? name, TOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        try
        {
            validate(options);
            return ValidateOptionsResult.Success;
        }
        catch (Exception ex) when (ex is ArgumentException or InvalidOperationException)
        {
            return ValidateOptionsResult.Fail(ex.Message);
        }
    }
}
