using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace WildLong.Core.DependencyInjection;

/// <summary>
/// The one way WildLong's hosts validate options: an <see cref="IValidateOptions{TOptions}"/> registered beside the
/// binding, and <c>ValidateOnStart</c>, so a bad setting stops the host before any work starts.
/// </summary>
public static class OptionsBuilderValidationExtensions
{
    /// <summary>Validates the options with their own check (<paramref name="validate"/> throws naming the setting) at start.</summary>
    public static OptionsBuilder<TOptions> ValidateOnStartWith<TOptions>(this OptionsBuilder<TOptions> builder, Action<TOptions> validate)
        where TOptions : class
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(validate);
        builder.Services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<TOptions>>(new CheckedOptionsValidator<TOptions>(validate)));
        return builder.ValidateOnStart();
    }
}
