namespace Rollup.Storage;
