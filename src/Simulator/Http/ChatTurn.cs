namespace WildLong.Simulator.Http;

/// <summary>One message of a chat request, reduced to what the simulator reads: role and text.</summary>
internal sealed record ChatTurn(string Role, string Text);
