using System.Runtime.InteropServices;

namespace Rollup.Storage.Handles;

/// <summary>
/// Owns one RocksDB native object. A handle can depend on others (an iterator on its database and read
/// options, a snapshot on its database, read options on their snapshot): it takes a reference on each with
/// <see cref="SafeHandle.DangerousAddRef"/> before its own object is created and gives them back only after
/// that object is destroyed. So whatever order <see cref="IDisposable.Dispose"/> or the finalizer reaches them
/// in, a database is closed only after everything that points into it is gone; closing it first frees memory the
/// dependent object still points into (a build with assertions aborts the process instead).
/// </summary>
internal abstract class RocksSafeHandle : SafeHandle
{
    private SafeHandle[] _dependencies = [];

    protected RocksSafeHandle()
        : base(0, ownsHandle: true)
    {
    }

    public override bool IsInvalid => handle == 0;

    /// <summary>
    /// Takes a reference on every dependency, all or none; called in a derived constructor before the native
    /// object is created, so a dependency closed concurrently fails here with nothing created yet.
    /// </summary>
    protected void DependOn(params ReadOnlySpan<SafeHandle> dependencies)
    {
        var taken = new SafeHandle[dependencies.Length];
        var count = 0;
        try
        {
            foreach (var dependency in dependencies)
            {
                var added = false;
                dependency.DangerousAddRef(ref added);
                taken[count++] = dependency;
            }
        }
        catch
        {
            for (var i = count - 1; i >= 0; i--)
            {
                taken[i].DangerousRelease();
            }
            throw;
        }
        _dependencies = taken;
    }

    /// <summary>Takes ownership of what a native create call returned; null gives the dependencies back and throws.</summary>
    protected void Attach(nint pointer, string what)
    {
        if (pointer == 0)
        {
            ReleaseDependencies();
            throw new RocksDbException("create", $"RocksDB returned no {what}");
        }
        SetHandle(pointer);
        NativeHandleCounter.Created();
    }

    /// <summary>For a constructor whose native create call failed: gives the references back.</summary>
    protected void ReleaseDependencies()
    {
        for (var i = _dependencies.Length - 1; i >= 0; i--)
        {
            _dependencies[i].DangerousRelease();
        }
        _dependencies = [];
    }

    /// <summary>Destroys the native object; runs once, after every reference on this handle is released.</summary>
    protected abstract void Destroy(nint pointer);

    protected sealed override bool ReleaseHandle()
    {
        Destroy(handle);
        NativeHandleCounter.Released();
        ReleaseDependencies();
        return true;
    }
}
