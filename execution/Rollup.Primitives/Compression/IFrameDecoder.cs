namespace Rollup.Primitives.Compression;

/// <summary>
/// One native streaming decoder, driven by <see cref="FrameDecoding"/>. Implemented by structs that own a native
/// context, so the generic driver calls them without boxing; the owner disposes them in a <c>finally</c>.
/// </summary>
internal interface IFrameDecoder
{
    CompressionCodecId Codec { get; }

    /// <summary>
    /// Checks the frame's magic number and reads its header. Returns the content length the header declares,
    /// or -1 when it declares none; <paramref name="consumed"/> is how much of <paramref name="source"/> the decoder took.
    /// </summary>
    long ReadHeader(ReadOnlySpan<byte> source, out int consumed);

    /// <summary>
    /// Decodes as far as <paramref name="source"/> and <paramref name="destination"/> allow and returns true once the
    /// frame has ended (later input is not part of it). Throws <see cref="CompressionException"/> on bad data.
    /// </summary>
    bool Decode(ReadOnlySpan<byte> source, Span<byte> destination, out int consumed, out int written);
}
