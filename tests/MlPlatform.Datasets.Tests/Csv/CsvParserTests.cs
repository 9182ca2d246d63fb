using System.Text;
using MlPlatform.Datasets.Csv;
using MlPlatform.Datasets.Profiling;

namespace MlPlatform.Datasets.Tests.Csv;

public sealed class CsvParserTests
{
    [Theory]
    [InlineData("a,b\n1,2\n")]
    [InlineData("a,b\r\n1,2\r\n")]
    [InlineData("a,b\n1,2")]
    [InlineData("a,b\r\n1,2\n")]
    [InlineData("\uFEFFa,b\n1,2\n")]
    [InlineData("a,b\n\n1,2\n\r\n")]
    public void Line_endings_byte_order_mark_and_blank_lines_do_not_change_the_records(string csv)
    {
        Assert.Equal([["a", "b"], ["1", "2"]], Parse(csv).Select(r => r.Fields));
    }

    [Fact]
    public void Quoted_fields_keep_delimiters_doubled_quotes_and_line_breaks()
    {
        var records = Parse("name,quote\n\"Smith, J\",\"He said \"\"hi\"\"\nand left\"\n\"\",x\n");

        Assert.Equal(["Smith, J", "He said \"hi\"\nand left"], records[1].Fields);
        Assert.Equal(["", "x"], records[2].Fields);
    }

    [Fact]
    public void Empty_fields_are_kept_including_a_trailing_one()
    {
        Assert.Equal(["", "", ""], Parse("a,b,c\n,,\n")[1].Fields);
        Assert.Equal(["1", ""], Parse("a,b\n1,")[1].Fields);
    }

    [Fact]
    public void Records_report_the_line_they_start_on()
    {
        var records = Parse("a,b\n\"x\ny\",1\n\n2,3\n");

        Assert.Equal([1L, 2, 5], records.Select(r => r.Line));
    }

    [Fact]
    public void A_lone_cr_is_a_line_break_and_only_cr_lf_counts_once()
    {
        const string csv = "a,b\r\r\n\r1,2\r\n\n3,4\r";
        for (var chunkSize = 1; chunkSize <= csv.Length; chunkSize++)
        {
            Assert.Equal([1L, 4, 6], Parse(csv, chunkSize).Select(r => r.Line));
        }
    }

    [Fact]
    public void Another_delimiter_can_be_chosen()
    {
        Assert.Equal(["1,5", "2"], Parse("a;b\n1,5;2\n", delimiter: (byte)';')[1].Fields);
    }

    [Fact]
    public void Chunks_split_anywhere_give_the_same_records_as_one_chunk()
    {
        var csv = "\uFEFFid,text,price\r\n1,\"multi\r\nline, \"\"quoted\"\"\",3.5\r\n2,naïve café 日本,4\r\n3,,\r\n";
        var whole = Parse(csv);

        foreach (var chunkSize in new[] { 1, 2, 3, 5, 7, 64 })
        {
            Assert.Equal(whole.Select(r => r.Fields), Parse(csv, chunkSize).Select(r => r.Fields));
        }
    }

    [Fact]
    public void A_quote_inside_an_unquoted_field_is_rejected_with_its_position()
    {
        var error = Assert.Throws<InvalidDatasetException>(() => Parse("a,b\n1,x\"y\n"));

        Assert.Contains("Line 2, byte offset 7", error.Message);
        Assert.Contains("quote inside an unquoted field", error.Message);
    }

    [Fact]
    public void Text_after_a_closing_quote_is_rejected_with_its_position()
    {
        var error = Assert.Throws<InvalidDatasetException>(() => Parse("a,b\n\"1\"x,2\n"));

        Assert.Contains("Line 2, byte offset 7", error.Message);
    }

    [Fact]
    public void An_unclosed_quoted_field_is_rejected_with_the_line_it_opens_on()
    {
        var error = Assert.Throws<InvalidDatasetException>(() => Parse("a,b\n1,2\n3,\"open\n4,5\n"));

        Assert.Contains("starts on line 3 is never closed", error.Message);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(4096)]
    public void Invalid_utf8_is_rejected_with_its_byte_offset_and_line(int chunkSize)
    {
        var bytes = "a,b\n1,2\nca"u8.ToArray().Concat(new byte[] { 0xC3, 0x28 }).Concat("f\u00e9,3\n"u8.ToArray()).ToArray();

        var error = Assert.Throws<InvalidDatasetException>(() => Parse(bytes, chunkSize));

        Assert.Contains("byte offset 10 (line 3)", error.Message);
    }

    [Fact]
    public void A_character_cut_off_by_the_end_of_the_file_is_invalid_utf8()
    {
        var bytes = "a\n\u00e9"u8.ToArray()[..^1];

        var error = Assert.Throws<InvalidDatasetException>(() => Parse(bytes));

        Assert.Contains("byte offset 2", error.Message);
    }

    [Fact]
    public void Characters_split_between_chunks_are_valid()
    {
        var records = Parse(Encoding.UTF8.GetBytes("h\n😀é日\n"), chunkSize: 1);

        Assert.Equal("😀é日", records[1].Fields[0]);
    }

    [Fact]
    public void A_record_longer_than_the_limit_is_rejected()
    {
        var huge = "a\n\"" + new string('x', CsvParser.MaxRecordBytes + 1);

        var error = Assert.Throws<InvalidDatasetException>(() => Parse(huge, chunkSize: 1 << 20));

        Assert.Contains("starts on line 2 is longer than 16 MiB", error.Message);
    }

    [Fact]
    public void Random_files_give_the_same_records_and_lines_whatever_the_chunk_size()
    {
        // Records parsed in place (whole in a chunk, no doubled quotes) and by the general path
        // must agree: quotes, CRLF, multibyte characters and the byte order mark split anywhere.
        var random = new Random(20261128);
        for (var file = 0; file < 40; file++)
        {
            var csv = Encoding.UTF8.GetBytes(RandomCsv(random));
            var whole = Parse(csv);
            for (var chunkSize = 1; chunkSize <= csv.Length; chunkSize++)
            {
                Assert.Equal(whole, Parse(csv, chunkSize), RecordComparer.Instance);
            }
        }
    }

    [Theory]
    [InlineData("a,b\n1,2\n3,x\"y\n", "Line 3, byte offset 11: a quote inside an unquoted field")]
    [InlineData("a,b\n1,2\n\"3\"x,4\n", "Line 3, byte offset 11: a quoted field must end")]
    [InlineData("a,b\r\n\"1\n2\",\"\"\"\"z\r\n", "Line 3, byte offset 15: a quoted field must end")]
    public void Errors_name_the_same_place_whatever_the_chunk_size(string csv, string expected)
    {
        for (var chunkSize = 1; chunkSize <= csv.Length; chunkSize++)
        {
            var error = Assert.Throws<InvalidDatasetException>(() => Parse(csv, chunkSize));
            Assert.Contains(expected, error.Message);
        }
    }

    [Theory]
    [InlineData(int.MaxValue)]
    [InlineData(1000)]
    public void A_record_with_too_many_fields_is_rejected(int chunkSize)
    {
        var wide = "a\n" + new string(',', CsvParser.MaxFields) + "\n";

        var error = Assert.Throws<InvalidDatasetException>(() => Parse(wide, chunkSize));

        Assert.Contains($"starts on line 2 has more than {CsvParser.MaxFields} fields", error.Message);
        Assert.Equal(CsvParser.MaxFields, Parse(wide[..^2] + "\n", chunkSize)[1].Fields.Length);
    }

    [Theory]
    [InlineData(',')]
    [InlineData(';')]
    [InlineData('\t')]
    public void Records_longer_than_a_scan_block_give_the_same_records_whatever_the_chunk_size(char delimiter)
    {
        // Records parsed in place are scanned 64 bytes at a time: fields, quotes and line breaks on
        // both sides of a block's edge, and a chunk's last bytes, must give what the general path
        // (one-byte chunks) gives.
        var random = new Random(delimiter);
        for (var file = 0; file < 30; file++)
        {
            var csv = Encoding.UTF8.GetBytes(LongRandomCsv(random, delimiter));
            var general = Parse(csv, chunkSize: 1, (byte)delimiter);
            foreach (var chunkSize in new[] { int.MaxValue, 40, 63, 64, 65, 100, 128, 129, 300 })
            {
                Assert.Equal(general, Parse(csv, chunkSize, (byte)delimiter), RecordComparer.Instance);
            }
        }
    }

    [Fact]
    public void Quotes_and_line_breaks_at_every_place_of_a_scan_block_give_the_same_records()
    {
        for (var padding = 0; padding < 140; padding++)
        {
            var pad = new string('p', padding);
            var csv = $"a,b,c\n{pad},\"x,\r\ny\",z\r\n\n\"{pad}\",\"q\"\"\",\"\"\r\n{pad},,\"{pad}\"\n\"\"";
            var general = Parse(csv, chunkSize: 1);
            Assert.Equal(5, general.Count);
            Assert.Equal(general, Parse(csv), RecordComparer.Instance);
            Assert.Equal(general, Parse(csv, chunkSize: 64), RecordComparer.Instance);
        }
    }

    [Fact]
    public void Errors_at_every_place_of_a_scan_block_name_the_same_place()
    {
        for (var padding = 0; padding < 140; padding++)
        {
            var pad = new string('p', padding);
            var at = 4 + padding;
            var stray = Assert.Throws<InvalidDatasetException>(() => Parse($"a,b\n{pad}x\"y,1\n"));
            Assert.Contains($"Line 2, byte offset {at + 1}: a quote inside an unquoted field", stray.Message);
            var after = Assert.Throws<InvalidDatasetException>(() => Parse($"a,b\n{pad},\"1\"x\n"));
            Assert.Contains($"Line 2, byte offset {at + 4}: a quoted field must end", after.Message);
        }
    }

    private static string LongRandomCsv(Random random, char delimiter)
    {
        string[] pieces = ["x", "1234567890", "é", "日本", "😀", " ", delimiter == ',' ? ";" : ","];
        string[] quoted = ["a", "\"\"", delimiter.ToString(), "\n", "\r\n", "ü", "long text inside quotes"];
        string Field() => random.Next(5) switch
        {
            0 => "",
            1 => "\"" + string.Concat(Enumerable.Range(0, random.Next(8)).Select(_ => quoted[random.Next(quoted.Length)])) + "\"",
            _ => string.Concat(Enumerable.Range(0, random.Next(1, 12)).Select(_ => pieces[random.Next(pieces.Length)])),
        };
        var lines = Enumerable.Range(0, random.Next(1, 12))
            .Select(_ => random.Next(10) == 0 ? "" : string.Join(delimiter, Enumerable.Range(0, random.Next(1, 12)).Select(_ => Field())));
        var lineBreak = random.Next(2) == 0 ? "\n" : "\r\n";
        return string.Join(lineBreak, lines) + (random.Next(2) == 0 ? lineBreak : "");
    }

    private static string RandomCsv(Random random)
    {
        string[] pieces = ["x", "42", "é", "日本", "😀", " ", ";"];
        string[] quoted = ["a", "\"\"", ",", "\n", "\r\n", "ü"];
        string Field() => random.Next(6) switch
        {
            0 => "",
            1 => "\"" + string.Concat(Enumerable.Range(0, random.Next(4)).Select(_ => quoted[random.Next(quoted.Length)])) + "\"",
            _ => string.Concat(Enumerable.Range(0, random.Next(1, 4)).Select(_ => pieces[random.Next(pieces.Length)])),
        };
        var lines = Enumerable.Range(0, random.Next(1, 5))
            .Select(_ => random.Next(8) == 0 ? "" : string.Join(",", Enumerable.Range(0, random.Next(1, 4)).Select(_ => Field())));
        var lineBreak = random.Next(2) == 0 ? "\n" : "\r\n";
        return (random.Next(3) == 0 ? "\uFEFF" : "") + string.Join(lineBreak, lines) + (random.Next(2) == 0 ? lineBreak : "");
    }

    private sealed class RecordComparer : IEqualityComparer<Record>
    {
        public static readonly RecordComparer Instance = new();

        public bool Equals(Record? x, Record? y) => x!.Line == y!.Line && x.Fields.SequenceEqual(y.Fields);

        public int GetHashCode(Record obj) => obj.Line.GetHashCode();
    }

    private sealed record Record(string[] Fields, long Line);

    private static List<Record> Parse(string csv, int chunkSize = int.MaxValue, byte delimiter = (byte)',') =>
        Parse(Encoding.UTF8.GetBytes(csv), chunkSize, delimiter);

    private static List<Record> Parse(byte[] csv, int chunkSize = int.MaxValue, byte delimiter = (byte)',')
    {
        var recorder = new Recorder();
        using var parser = new CsvParser(delimiter, recorder);
        foreach (var chunk in csv.Chunk(Math.Min(chunkSize, Math.Max(csv.Length, 1))))
        {
            parser.Parse(chunk);
        }

        parser.Complete();
        return recorder.Records;
    }

    private sealed class Recorder : ICsvRecordHandler
    {
        public List<Record> Records { get; } = [];

        public void OnRecord(CsvRecord record)
        {
            var fields = new string[record.FieldCount];
            for (var i = 0; i < fields.Length; i++)
            {
                fields[i] = Encoding.UTF8.GetString(record[i]);
            }

            Records.Add(new Record(fields, record.Line));
        }
    }
}
