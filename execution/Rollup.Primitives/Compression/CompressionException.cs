namespace Rollup.Primitives.Compression;

/// <summary>
/// Compressed input that cannot be, or may not be, decompressed: the data is at fault, not the program.
/// (<see cref="InvalidDataException"/> is sealed, so this derives from <see cref="FormatException"/>, the
/// framework's exception for malformed input.)
/// </summary>
public sealed class CompressionException : FormatException
{
    public CompressionException(CompressionError error, string message)
        : base(message)
    {
        Error = error;
    }

    /// <summary>What is wrong with the input.</summary>
    public CompressionError Error { get; }
}
