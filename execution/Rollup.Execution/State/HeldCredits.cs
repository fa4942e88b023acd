using Rollup.Execution.Transactions;

namespace Rollup.Execution.State;

/// <summary>
/// Collateral a market handed back to an account (a margin reply) that still depends on that market's claims: the
/// amount and the last block it came in, one entry per market (docs/state.md, "Held credits"; docs/disputes.md,
/// "Finality"). The amounts are part of the free balance; what they may pay for is <see cref="AccountFunds"/>'s rule.
/// </summary>
public readonly record struct HeldCredit(uint Market, ulong Block, long Amount);

/// <summary>
/// A held credit a withdrawal drew on: its market and the entry's block, which the withdrawal's leaf carries so that L1
/// pays it only once that market's claims are final through the batch holding the block (docs/disputes.md, rule 5).
/// </summary>
public readonly record struct HeldDraw(uint Market, ulong Block);

/// <summary>
/// An account's held credits, sorted by market, at most <see cref="MaxMarkets"/> that are live. An entry is live while
/// its amount is above 0 or it is of the current block (a reply to a transfer of this block may still come); a dead
/// one is dropped whenever the list changes. A mutable struct kept in <see cref="AccountState"/>: the array is taken
/// only once an account first holds a credit.
/// </summary>
public struct HeldCredits
{
    public const int MaxMarkets = 8;

    private HeldCredit[]? _items;
    private int _count;

    public readonly int Count => _count;

    public readonly HeldCredit this[int index] => _items![index];

    /// <summary>The sum of the held amounts (at most the free balance: every one of them was added to it).</summary>
    public readonly long Total
    {
        get
        {
            var total = 0L;
            for (var i = 0; i < _count; i++)
            {
                total += _items![i].Amount;
            }
            return total;
        }
    }

    /// <summary>What is held from <paramref name="market"/> (0 if nothing).</summary>
    public readonly long In(uint market) => IndexOf(market) is var i and >= 0 ? _items![i].Amount : 0;

    /// <summary>Whether a transfer of <paramref name="block"/> with market <paramref name="market"/> can hold a reply: it has an entry, or fewer than <see cref="MaxMarkets"/> are live.</summary>
    public readonly bool CanHold(uint market, ulong block)
    {
        if (IndexOf(market) >= 0)
        {
            return true;
        }
        var live = 0;
        for (var i = 0; i < _count; i++)
        {
            if (IsLive(_items![i], block))
            {
                live++;
            }
        }
        return live < MaxMarkets;
    }

    /// <summary>
    /// Makes room for a reply from <paramref name="market"/> in <paramref name="block"/>: its entry, made if missing,
    /// takes the block (so it stays live until the reply). The caller checked <see cref="CanHold"/>.
    /// </summary>
    public void Reserve(uint market, ulong block)
    {
        Prune(block);
        var i = IndexOf(market);
        if (i < 0)
        {
            Insert(new HeldCredit(market, block, 0));
            return;
        }
        _items![i] = _items[i] with { Block = block };
    }

    /// <summary>
    /// A reply's credit from <paramref name="market"/>: added to its entry, taking the later block. With no entry
    /// (only a market claim that replies to another account than the transfer's can make that), one is made if
    /// fewer than <see cref="MaxMarkets"/> are live; false if not, and nothing is held or credited.
    /// </summary>
    public bool Credit(uint market, ulong block, long amount)
    {
        Prune(block);
        var i = IndexOf(market);
        if (i >= 0)
        {
            var entry = _items![i];
            _items[i] = new HeldCredit(market, Math.Max(entry.Block, block), entry.Amount + amount);
            return true;
        }
        if (_count >= MaxMarkets)
        {
            return false;
        }
        Insert(new HeldCredit(market, block, amount));
        return true;
    }

    /// <summary>
    /// Takes <paramref name="amount"/> (at most <see cref="Total"/>) from the entries in market order; returns the
    /// entries it took from, in that order.
    /// </summary>
    public ValueArray<HeldDraw> Draw(long amount, ulong block)
    {
        Span<HeldDraw> drawn = stackalloc HeldDraw[MaxMarkets];
        var count = 0;
        for (var i = 0; i < _count && amount > 0; i++)
        {
            var taken = Math.Min(amount, _items![i].Amount);
            if (taken == 0)
            {
                continue;
            }
            drawn[count++] = new HeldDraw(_items[i].Market, _items[i].Block);
            _items[i] = _items[i] with { Amount = _items[i].Amount - taken };
            amount -= taken;
        }
        Prune(block);
        return new ValueArray<HeldDraw>(drawn[..count].ToArray());
    }

    /// <summary>Takes <paramref name="amount"/> (at most what it holds) from <paramref name="market"/>'s entry.</summary>
    public void DrawFrom(uint market, long amount, ulong block)
    {
        if (IndexOf(market) is var i and >= 0)
        {
            _items![i] = _items[i] with { Amount = _items[i].Amount - Math.Min(amount, _items[i].Amount) };
        }
        Prune(block);
    }

    /// <summary>A copy of the entries, in market order (none: an empty array, taken from no allocation).</summary>
    public readonly HeldCredit[] ToArray() => _count == 0 ? [] : _items.AsSpan(0, _count).ToArray();

    /// <summary>The entries as a record holds them (docs/state.md): the caller checked their order, count and amounts.</summary>
    internal void Load(ReadOnlySpan<HeldCredit> entries)
    {
        _items = null;
        if (entries.Length > 0)
        {
            _items = new HeldCredit[MaxMarkets];
            entries.CopyTo(_items);
        }
        _count = entries.Length;
    }

    private static bool IsLive(in HeldCredit entry, ulong block) => entry.Amount > 0 || entry.Block == block;

    private void Prune(ulong block)
    {
        var kept = 0;
        for (var i = 0; i < _count; i++)
        {
            if (IsLive(_items![i], block))
            {
                _items[kept++] = _items[i];
            }
        }
        _count = kept;
    }

    private readonly int IndexOf(uint market)
    {
        for (var i = 0; i < _count; i++)
        {
            if (_items![i].Market == market)
            {
                return i;
            }
        }
        return -1;
    }

    private void Insert(HeldCredit entry)
    {
        _items ??= new HeldCredit[MaxMarkets];
        var at = _count;
        while (at > 0 && _items[at - 1].Market > entry.Market)
        {
            _items[at] = _items[at - 1];
            at--;
        }
        _items[at] = entry;
        _count++;
    }
}
