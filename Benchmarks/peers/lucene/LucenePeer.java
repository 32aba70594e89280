// Lucene peer adapter: the same command-line contract as peers/common.py (see there).
//
//   java -cp CLASSES:LUCENE_JARS LucenePeer build --corpus corpus.jsonl --index DIR
//   java -cp ... LucenePeer query --index DIR --queries queries.tsv --k K [--warmup W] [--repeat R]
//                                 [--run OUT.trec] [--latency OUT.json] [--tag TAG]
//
// Configuration: Debian's Lucene 8 jars (liblucene8-java), EnglishAnalyzer (StandardTokenizer,
// possessive filter, lower case, Lucene's 33 English stopwords, Porter stemmer) on one field
// `contents` = title + "\n" + text, the external id as a stored StringField; BM25Similarity with
// Lucene's defaults (k1 = 1.2, b = 0.75). Queries: the sanitised words (same rule as
// common.bag_of_words), each analysed by the same analyzer into TermQuery clauses, all SHOULD
// (OR) in one BooleanQuery, so Lucene's query-parser syntax is never involved.
//
// No JSON library ships with Debian's Lucene, so a small reader below handles the JSONL corpus
// (objects of string values, the escapes JSON allows).

import java.io.BufferedReader;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.apache.lucene.analysis.Analyzer;
import org.apache.lucene.analysis.TokenStream;
import org.apache.lucene.analysis.en.EnglishAnalyzer;
import org.apache.lucene.analysis.tokenattributes.CharTermAttribute;
import org.apache.lucene.document.Document;
import org.apache.lucene.document.Field;
import org.apache.lucene.document.StringField;
import org.apache.lucene.document.TextField;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.index.IndexWriterConfig;
import org.apache.lucene.index.Term;
import org.apache.lucene.search.BooleanClause;
import org.apache.lucene.search.BooleanQuery;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.Query;
import org.apache.lucene.search.ScoreDoc;
import org.apache.lucene.search.TermQuery;
import org.apache.lucene.search.TopDocs;
import org.apache.lucene.search.similarities.BM25Similarity;
import org.apache.lucene.store.FSDirectory;
import org.apache.lucene.util.Version;

public final class LucenePeer {
    private static final String ENGINE = "lucene";
    // The same rule as common.py: runs of letters and digits, operator keywords dropped.
    private static final Pattern WORD = Pattern.compile("[\\p{L}\\p{N}\\p{M}]+");
    private static final Set<String> KEYWORDS = Set.of("AND", "OR", "NOT", "NEAR", "ADJ", "XOR", "TO");

    public static void main(String[] args) throws Exception {
        if (args.length == 0) usage();
        Map<String, String> options = new HashMap<>();
        for (int i = 1; i < args.length; i += 2) {
            if (!args[i].startsWith("--") || i + 1 >= args.length) usage();
            options.put(args[i].substring(2), args[i + 1]);
        }
        switch (args[0]) {
            case "version": System.out.println(Version.LATEST); break;
            case "build": build(required(options, "corpus"), required(options, "index")); break;
            case "query": query(options); break;
            default: usage();
        }
    }

    private static void usage() {
        System.err.println("usage: LucenePeer build --corpus C --index DIR | query --index DIR --queries Q --k K [--warmup W] [--repeat R] [--run F] [--latency F] [--tag T] | version");
        System.exit(64);
    }

    private static String required(Map<String, String> options, String name) {
        String value = options.get(name);
        if (value == null) usage();
        return value;
    }

    // MARK: build

    private static void build(String corpus, String index) throws IOException {
        long started = System.nanoTime();
        Path folder = Paths.get(index);
        Files.createDirectories(folder);
        IndexWriterConfig config = new IndexWriterConfig(new EnglishAnalyzer())
            .setOpenMode(IndexWriterConfig.OpenMode.CREATE)
            .setRAMBufferSizeMB(256)
            .setSimilarity(new BM25Similarity());
        int docs = 0;
        try (FSDirectory directory = FSDirectory.open(folder);
             IndexWriter writer = new IndexWriter(directory, config);
             BufferedReader reader = Files.newBufferedReader(Paths.get(corpus), StandardCharsets.UTF_8)) {
            String line;
            while ((line = reader.readLine()) != null) {
                if (line.isBlank()) continue;
                Map<String, String> record = parseObject(line);
                String title = record.getOrDefault("title", "");
                String text = record.getOrDefault("text", "");
                Document document = new Document();
                document.add(new StringField("id", record.get("id"), Field.Store.YES));
                document.add(new TextField("contents", title.isEmpty() ? text : title + "\n" + text, Field.Store.NO));
                writer.addDocument(document);
                docs++;
            }
            writer.commit();
        }
        double seconds = (System.nanoTime() - started) / 1e9;
        System.out.printf(Locale.ROOT, "{\"engine\": \"%s\", \"version\": \"%s\", \"docs\": %d, \"build_seconds\": %.4f}%n",
                          ENGINE, Version.LATEST, docs, seconds);
    }

    // MARK: query

    private static void query(Map<String, String> options) throws IOException {
        int k = Integer.parseInt(options.getOrDefault("k", "10"));
        int warmup = Integer.parseInt(options.getOrDefault("warmup", "1"));
        int repeat = Math.max(1, Integer.parseInt(options.getOrDefault("repeat", "1")));
        String tag = options.getOrDefault("tag", ENGINE);
        List<String[]> queries = readQueries(required(options, "queries"));

        long openStart = System.nanoTime();
        Analyzer analyzer = new EnglishAnalyzer();
        DirectoryReader reader = DirectoryReader.open(FSDirectory.open(Paths.get(required(options, "index"))));
        IndexSearcher searcher = new IndexSearcher(reader);
        searcher.setSimilarity(new BM25Similarity());
        double openSeconds = (System.nanoTime() - openStart) / 1e9;

        for (int pass = 0; pass < warmup; pass++) {
            for (String[] q : queries) if (!q[1].isEmpty()) search(searcher, analyzer, q[1], k);
        }
        List<Double> samples = new ArrayList<>();
        List<List<Object[]>> last = new ArrayList<>();
        long wallStart = System.nanoTime();
        for (int pass = 0; pass < repeat; pass++) {
            last.clear();
            for (String[] q : queries) {
                if (q[1].isEmpty()) { last.add(List.of()); continue; }
                long t0 = System.nanoTime();
                List<Object[]> hits = search(searcher, analyzer, q[1], k);
                samples.add((System.nanoTime() - t0) / 1e6);
                last.add(hits);
            }
        }
        double wall = (System.nanoTime() - wallStart) / 1e9;

        if (options.containsKey("run")) {
            try (PrintWriter out = new PrintWriter(Files.newBufferedWriter(Paths.get(options.get("run")), StandardCharsets.UTF_8))) {
                for (int i = 0; i < queries.size(); i++) {
                    int rank = 1;
                    for (Object[] hit : last.get(i)) {
                        out.printf(Locale.ROOT, "%s Q0 %s %d %.6f %s%n", queries.get(i)[0], hit[0], rank++, (Float) hit[1], tag);
                    }
                }
            }
        }
        double[] sorted = samples.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        double mean = Arrays.stream(sorted).average().orElse(0);
        String summary = String.format(Locale.ROOT,
            "{\"engine\": \"%s\", \"k\": %d, \"queries\": %d, \"samples\": %d, \"warmup\": %d, \"repeat\": %d, \"open_s\": %.4f, "
                + "\"p50_ms\": %.4f, \"p95_ms\": %.4f, \"p99_ms\": %.4f, \"mean_ms\": %.4f, \"qps\": %.1f}",
            ENGINE, k, queries.size(), sorted.length, warmup, repeat, openSeconds,
            percentile(sorted, 50), percentile(sorted, 95), percentile(sorted, 99), mean, wall > 0 ? sorted.length / wall : 0);
        if (options.containsKey("latency")) Files.writeString(Paths.get(options.get("latency")), summary + "\n");
        System.out.println(summary);
        reader.close();
    }

    /** The top k as (external id, score), ids fetched from the stored field like every engine. */
    private static List<Object[]> search(IndexSearcher searcher, Analyzer analyzer, String words, int k) throws IOException {
        BooleanQuery.Builder builder = new BooleanQuery.Builder();
        try (TokenStream stream = analyzer.tokenStream("contents", words)) {
            CharTermAttribute term = stream.addAttribute(CharTermAttribute.class);
            stream.reset();
            while (stream.incrementToken()) {
                builder.add(new TermQuery(new Term("contents", term.toString())), BooleanClause.Occur.SHOULD);
            }
            stream.end();
        }
        Query query = builder.build();
        TopDocs top = searcher.search(query, k);
        List<Object[]> hits = new ArrayList<>(top.scoreDocs.length);
        Set<String> idOnly = Set.of("id");
        for (ScoreDoc hit : top.scoreDocs) {
            hits.add(new Object[] {searcher.doc(hit.doc, idOnly).get("id"), hit.score});
        }
        return hits;
    }

    private static double percentile(double[] sorted, double p) {
        if (sorted.length == 0) return 0;
        double position = (sorted.length - 1) * p / 100.0;
        int low = (int) position;
        int high = Math.min(low + 1, sorted.length - 1);
        return sorted[low] + (sorted[high] - sorted[low]) * (position - low);
    }

    /** (qid, sanitised words joined by spaces) per query line. */
    private static List<String[]> readQueries(String path) throws IOException {
        List<String[]> queries = new ArrayList<>();
        for (String line : Files.readAllLines(Paths.get(path), StandardCharsets.UTF_8)) {
            if (line.isBlank() || line.startsWith("#")) continue;
            int tab = line.indexOf('\t');
            String qid = (tab < 0 ? line : line.substring(0, tab)).trim();
            String text = tab < 0 ? "" : line.substring(tab + 1);
            StringBuilder words = new StringBuilder();
            Matcher matcher = WORD.matcher(text);
            while (matcher.find()) {
                if (KEYWORDS.contains(matcher.group())) continue;
                if (words.length() > 0) words.append(' ');
                words.append(matcher.group());
            }
            queries.add(new String[] {qid, words.toString()});
        }
        return queries;
    }

    // MARK: a minimal JSON object reader (string, number, boolean and null values)

    private static Map<String, String> parseObject(String json) {
        Map<String, String> result = new HashMap<>();
        int[] at = {skipSpace(json, 0)};
        expect(json, at, '{');
        at[0] = skipSpace(json, at[0]);
        if (json.charAt(at[0]) == '}') return result;
        while (true) {
            at[0] = skipSpace(json, at[0]);
            String key = parseString(json, at);
            at[0] = skipSpace(json, at[0]);
            expect(json, at, ':');
            at[0] = skipSpace(json, at[0]);
            String value;
            if (json.charAt(at[0]) == '"') {
                value = parseString(json, at);
            } else {  // a bare literal; ids may be numbers
                int start = at[0];
                while (at[0] < json.length() && ",} \t".indexOf(json.charAt(at[0])) < 0) at[0]++;
                value = json.substring(start, at[0]);
            }
            result.put(key, value);
            at[0] = skipSpace(json, at[0]);
            if (json.charAt(at[0]) == ',') { at[0]++; continue; }
            expect(json, at, '}');
            return result;
        }
    }

    private static String parseString(String json, int[] at) {
        expect(json, at, '"');
        StringBuilder out = new StringBuilder();
        while (true) {
            char c = json.charAt(at[0]++);
            if (c == '"') return out.toString();
            if (c != '\\') { out.append(c); continue; }
            char escaped = json.charAt(at[0]++);
            switch (escaped) {
                case 'n': out.append('\n'); break;
                case 't': out.append('\t'); break;
                case 'r': out.append('\r'); break;
                case 'b': out.append('\b'); break;
                case 'f': out.append('\f'); break;
                case 'u': out.append((char) Integer.parseInt(json.substring(at[0], at[0] + 4), 16)); at[0] += 4; break;
                default: out.append(escaped);  // \" \\ \/
            }
        }
    }

    private static int skipSpace(String json, int at) {
        while (at < json.length() && Character.isWhitespace(json.charAt(at))) at++;
        return at;
    }

    private static void expect(String json, int[] at, char c) {
        if (at[0] >= json.length() || json.charAt(at[0]) != c) {
            throw new IllegalArgumentException("bad JSON line: expected '" + c + "' at column " + (at[0] + 1));
        }
        at[0]++;
    }
}
