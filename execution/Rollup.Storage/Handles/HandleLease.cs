using System.Runtime.InteropServices;

namespace Rollup.Storage.Handles;

/// <summary>
/// Holds a reference on a handle for the length of one native call, so a concurrent
/// <see cref="IDisposable.Dispose"/> defers the release instead of freeing memory under the call.
/// Throws <see cref="ObjectDisposedException"/> if the handle is already closed.
/// </summary>
internal readonly ref struct HandleLease
{
    private readonly SafeHandle _handle;

    public HandleLease(SafeHandle handle)
    {
        var added = false;
        handle.DangerousAddRef(ref added);
        _handle = handle;
    }

    public nint Pointer => _handle.DangerousGetHandle();

    public void Dispose() => _handle.DangerousRelease();
}
