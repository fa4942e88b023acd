using Rollup.Execution.Acks;
using Rollup.Primitives;
using Rollup.Primitives.Eip712;
using Rollup.Primitives.Signatures;

namespace Rollup.Sequencer.Admission;

/// <summary>
/// Signs acknowledgements in rounds, the way the log commits in groups: every run queued while the previous round
/// was being signed (in practice, the runs the log numbered together) shares trees of at most
/// <see cref="MaxLeaves"/> acks, one signature per tree. Under load a signature covers many acks; a lone ack gets a
/// tree of its own. Rounds run on a thread of their own, overlapping the log's fsync.
/// </summary>
internal sealed class AckSigner : IAsyncDisposable
{
    private readonly Eip712Domain _domain;
    private readonly PrivateKey _key;
    private readonly ThreadQueue<Request> _queue = new();
    private readonly Task _signer;
    private readonly List<Request> _round = [];
    private readonly Action? _signed;
    private Hash256[] _leaves = new Hash256[256];

    public AckSigner(Eip712Domain domain, PrivateKey key, int maxLeaves, Action? signed = null)
    {
        _signed = signed;
        ArgumentOutOfRangeException.ThrowIfLessThan(maxLeaves, 1);
        _domain = domain;
        _key = key;
        MaxLeaves = maxLeaves;
        _signer = Task.Factory.StartNew(SignLoop, CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);
    }

    public int MaxLeaves { get; }

    /// <summary>
    /// Signs the acks of <paramref name="count"/> transactions numbered from <paramref name="firstSequence"/>: on
    /// completion, <paramref name="trees"/>[k] and <paramref name="leaves"/>[k] are the tree and leaf of transaction k.
    /// </summary>
    public Task SignAsync(ulong firstSequence, Hash256[] txHashes, int count, AckTree[] trees, int[] leaves)
    {
        var request = new Request(firstSequence, txHashes, count, trees, leaves);
        if (!_queue.TryWrite(request))
        {
            throw new InvalidOperationException("the ack signer has stopped");
        }
        return request.Done.Task;
    }

    private void SignLoop()
    {
        while (_queue.WaitToRead())
        {
            _round.Clear();
            var total = 0;
            while (_queue.TryRead(out var request))
            {
                _round.Add(request);
                total += request.Count;
            }
            try
            {
                SignRound(total);
                foreach (var request in _round)
                {
                    request.Done.TrySetResult();
                }
            }
#pragma warning disable CA1031 // A failed round fails its waiters; their transactions are answered as not acknowledged.
            catch (Exception error)
#pragma warning restore CA1031
            {
                foreach (var request in _round)
                {
                    request.Done.TrySetException(error);
                }
            }
        }
    }

    private void SignRound(int total)
    {
        if (_leaves.Length < total)
        {
            _leaves = new Hash256[Math.Max(total, 2 * _leaves.Length)];
        }
        var at = 0;
        foreach (var request in _round)
        {
            for (var k = 0; k < request.Count; k++)
            {
                _leaves[at++] = AckTree.Leaf(request.FirstSequence + (ulong)k, request.TxHashes[k]);
            }
        }
        // Trees of about equal size: 130 acks make two trees of 65, not one of 128 and one of 2.
        var treeCount = (total + MaxLeaves - 1) / MaxLeaves;
        var requestIndex = 0;
        var inRequest = 0;
        var start = 0;
        for (var t = 0; t < treeCount; t++)
        {
            var end = (int)((long)total * (t + 1) / treeCount);
            var tree = AckTree.Build(_leaves.AsSpan(start, end - start), root => AckSigning.Sign(root, _domain, _key));
            _signed?.Invoke();
            for (var leaf = 0; leaf < end - start; leaf++)
            {
                while (inRequest == _round[requestIndex].Count)
                {
                    requestIndex++;
                    inRequest = 0;
                }
                var request = _round[requestIndex];
                request.Trees[inRequest] = tree;
                request.Leaves[inRequest] = leaf;
                inRequest++;
            }
            start = end;
        }
    }

    public async ValueTask DisposeAsync()
    {
        _queue.Complete();
        await _signer.ConfigureAwait(false);
        _queue.Dispose();
    }

    private sealed class Request(ulong firstSequence, Hash256[] txHashes, int count, AckTree[] trees, int[] leaves)
    {
        public ulong FirstSequence { get; } = firstSequence;

        public Hash256[] TxHashes { get; } = txHashes;

        public int Count { get; } = count;

        public AckTree[] Trees { get; } = trees;

        public int[] Leaves { get; } = leaves;

        public TaskCompletionSource Done { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }
}
