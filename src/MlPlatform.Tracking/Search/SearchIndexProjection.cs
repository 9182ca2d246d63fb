using System.Globalization;
using JasperFx.Events;
using Marten;
using Marten.Events.Projections;
using MlPlatform.Tracking.Database;
using MlPlatform.Tracking.Params;
using MlPlatform.Tracking.Runs;
using MlPlatform.Tracking.Tags;

namespace MlPlatform.Tracking.Search;

/// <summary>
/// Keeps the flat search tables (runs, run_params, run_tags, run_datasets) in step with run events.
/// It runs inline: its SQL commits in the same transaction as the events, so a search never sees a
/// run half-written and a failed save leaves no trace.
/// </summary>
internal sealed class SearchIndexProjection : EventProjection
{
    private readonly string _insertRun;
    private readonly string _upsertTags;
    private readonly string _insertParams;
    private readonly string _insertDatasets;
    private readonly string _endRun;
    private readonly string _setDeleted;

    public SearchIndexProjection(TrackingTables t)
    {
        IncludeType<RunStarted>();
        IncludeType<RunEnded>();
        IncludeType<RunDeleted>();
        IncludeType<RunRestored>();
        IncludeType<ParamsLogged>();
        IncludeType<TagsSet>();

        _insertRun = $"""
            INSERT INTO {t.Runs} (run_id, experiment_id, run_name, parent_run_id, status, start_time)
            VALUES (?, ?, ?, NULLIF(?, ''), 'RUNNING', ?)
            """;
        _upsertTags = KeyValues(t, t.Tags, "DO UPDATE SET value = excluded.value, num_value = excluded.num_value");
        _insertParams = KeyValues(t, t.Params, "DO NOTHING");
        _insertDatasets = $"""
            INSERT INTO {t.Datasets} (run_no, name, version)
            SELECT r.run_no, d.name, d.version
            FROM {t.Runs} r, unnest(?::text[], ?::integer[]) AS d(name, version)
            WHERE r.run_id = ?
            """;
        _endRun = $"UPDATE {t.Runs} SET status = ?, end_time = ? WHERE run_id = ?";
        _setDeleted = $"UPDATE {t.Runs} SET deleted = ? WHERE run_id = ?";
    }

    public override ValueTask ApplyAsync(IDocumentOperations operations, IEvent e, CancellationToken cancellation)
    {
        var runId = e.StreamKey!;
        switch (e.Data)
        {
            case RunStarted started:
                operations.QueueSqlCommand(_insertRun, runId, started.ExperimentId, started.RunName, started.ParentRunId ?? "", started.StartTime.ToUniversalTime());
                QueueKeyValues(operations, _upsertTags, runId, started.Tags);
                if (started.DatasetInputs.Count > 0)
                {
                    operations.QueueSqlCommand(_insertDatasets,
                        started.DatasetInputs.Select(d => d.Name).ToArray(), started.DatasetInputs.Select(d => d.Version).ToArray(), runId);
                }

                break;
            case RunEnded ended:
                operations.QueueSqlCommand(_endRun, ended.Status.ToText(), ended.EndTime.ToUniversalTime(), runId);
                break;
            case RunDeleted:
                operations.QueueSqlCommand(_setDeleted, true, runId);
                break;
            case RunRestored:
                operations.QueueSqlCommand(_setDeleted, false, runId);
                break;
            case ParamsLogged logged:
                QueueKeyValues(operations, _insertParams, runId, logged.Params);
                break;
            case TagsSet set:
                QueueKeyValues(operations, _upsertTags, runId, set.Tags);
                break;
        }

        return ValueTask.CompletedTask;
    }

    private static string KeyValues(TrackingTables t, string table, string onConflict) => $"""
        INSERT INTO {table} (run_no, key, value, num_value)
        SELECT r.run_no, kv.key, kv.value, kv.num_value
        FROM {t.Runs} r, unnest(?::text[], ?::text[], ?::double precision[]) AS kv(key, value, num_value)
        WHERE r.run_id = ?
        ON CONFLICT (run_no, key) {onConflict}
        """;

    private static void QueueKeyValues(IDocumentOperations operations, string sql, string runId, IReadOnlyDictionary<string, string> pairs)
    {
        if (pairs.Count == 0)
        {
            return;
        }

        operations.QueueSqlCommand(sql, pairs.Keys.ToArray(), pairs.Values.ToArray(), pairs.Values.Select(AsNumber).ToArray(), runId);
    }

    /// <summary>The value as a number when it reads as one, so <c>params.lr &lt; 0.01</c> compares numerically.</summary>
    private static double? AsNumber(string value) =>
        double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var number) ? number : null;
}
