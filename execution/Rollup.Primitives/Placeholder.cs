namespace Rollup.Primitives;
