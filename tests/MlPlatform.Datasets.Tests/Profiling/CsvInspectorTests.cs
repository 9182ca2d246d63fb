using System.Text;
using MlPlatform.Datasets.Csv;
using MlPlatform.Datasets.Profiling;

namespace MlPlatform.Datasets.Tests.Profiling;

public sealed class CsvInspectorTests
{
    [Fact]
    public void A_file_is_summarised_column_by_column()
    {
        var summary = Inspect("id,price,in_stock,added,name\n1,2.5,true,2024-01-01,apple\n2,,false,2024-01-02,\"pear, green\"\n");

        Assert.Equal(2, summary.RowCount);
        Assert.Equal(
            [("id", ColumnType.Int64, false), ("price", ColumnType.Double, true), ("in_stock", ColumnType.Bool, false),
             ("added", ColumnType.Timestamp, false), ("name", ColumnType.String, false)],
            summary.Columns.Select(c => (c.Name, c.Type, c.Nullable)));
    }

    [Theory]
    [InlineData("", "The file is empty")]
    [InlineData("\n\r\n", "The file is empty")]
    [InlineData("a,b\n", "header row but no data rows")]
    [InlineData("a,b\n1,2\n3\n", "Data row 2 (line 3) has 1 field, but the header has 2.")]
    [InlineData("a,b\n1,2,3\n", "Data row 1 (line 2) has 3 fields, but the header has 2.")]
    [InlineData("a,,c\n1,2,3\n", "Column 2 of the header row has no name")]
    [InlineData("a,b,a\n1,2,3\n", "names two columns 'a' (columns 1 and 3)")]
    public void Invalid_tables_are_rejected_with_a_message_that_says_what_to_fix(string csv, string message)
    {
        var error = Assert.Throws<InvalidDatasetException>(() => Inspect(csv));

        Assert.Contains(message, error.Message);
    }

    private static DatasetSummary Inspect(string csv)
    {
        using var inspector = new CsvInspector((byte)',');
        inspector.Inspect(Encoding.UTF8.GetBytes(csv));
        return inspector.Complete();
    }
}
