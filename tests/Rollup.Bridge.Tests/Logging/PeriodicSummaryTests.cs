using Rollup.Bridge.Logging;

namespace Rollup.Bridge.Tests.Logging;

public class PeriodicSummaryTests
{
    [Fact]
    public void Count_ReportsTheFirstAtOnce_ThenOncePerIntervalWithHowManySince()
    {
        var clock = new ManualClock();
        var summary = new PeriodicSummary(TimeSpan.FromSeconds(60), clock);

        Assert.Equal(1, summary.Count());
        for (var i = 0; i < 29; i++)
        {
            clock.Advance(TimeSpan.FromSeconds(2));
            Assert.Equal(0, summary.Count()); // 58 s after the report
        }
        clock.Advance(TimeSpan.FromSeconds(2));
        Assert.Equal(30, summary.Count()); // 60 s: the 29 held back and this one
        clock.Advance(TimeSpan.FromSeconds(61));
        Assert.Equal(1, summary.Count());
    }

    private sealed class ManualClock : TimeProvider
    {
        private long _ticks;

        public override long TimestampFrequency => TimeSpan.TicksPerSecond;

        public override long GetTimestamp() => _ticks;

        public void Advance(TimeSpan by) => _ticks += by.Ticks;
    }
}
