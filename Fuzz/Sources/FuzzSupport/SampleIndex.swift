import Foundation
import MedAnalysis
import MedDocument
import MedIndex

/// A small valid index, written once per fuzz process into a private temporary folder.
public enum SampleIndex {
    /// Five short career articles: enough terms for several term-dictionary blocks, shared words
    /// for phrases and prefixes, synonyms (MRI, RN), headings and a table row.
    public static let documents: [IndexedDocument] = [
        document("imaging/mri.html", "MRI Technologist: Safety and Certification", [
            ("", 0, ["Magnetic resonance imaging technologists scan patients with a strong magnet and radio waves.",
                     "The magnet is always on, so screening every patient for metal matters."]),
            ("Certification", 2, ["The ARRT (MR) credential follows an accredited program; ARMRIT certification is an alternative."]),
        ]),
        document("imaging/ct.html", "CT Technologist", [
            ("", 0, ["CT technologists run computed tomography scanners and give iodinated contrast.",
                     "X-ray dose is kept as low as reasonably achievable."]),
            ("Radiation dose", 2, ["Radiologic technologists track cumulative dose; radiology departments audit protocols."]),
        ]),
        document("nursing/rn.html", "Registered Nurse (RN) Career Guide", [
            ("", 0, ["Registered nurses pass the NCLEX-RN exam after a nursing program."]),
            ("Work settings", 2, ["Nurses work in hospitals, clinics and home health; night shifts are common."]),
            ("Salary", 3, ["RN | median pay | 86,070 USD per year"]),
        ]),
        document("imaging/sonographer.html", "Diagnostic Medical Sonographer", [
            ("", 0, ["A sonographer uses ultrasound to image organs, blood vessels and a growing baby."]),
            ("ARDMS credentials", 2, ["The RDMS credential requires the SPI exam plus a specialty exam such as abdomen or obstetrics."]),
        ]),
        document("lab/phlebotomist.html", "Phlebotomist: Duties and Certification", [
            ("", 0, ["A phlebotomist draws blood by venipuncture and capillary puncture for laboratory tests.",
                     "Café-style naïve façade: ĳ ﬁ ß ＡＢＣ 医学 — unicode folds too."]),
            ("Certification", 2, ["The NHA CPT certification requires documented venipunctures on live patients."]),
        ]),
    ]

    private static func document(_ path: String, _ title: String, _ sections: [(String, Int, [String])]) -> IndexedDocument {
        let article = Article(title: title, sections: sections.map { heading, level, passages in
            Section(heading: heading, level: level, path: heading.isEmpty ? [] : [heading],
                    passages: passages.map { Passage(kind: $0.contains("|") ? .tableRow : .paragraph, text: $0) })
        })
        let hash = ContentHash.fnv1a64(Array((title + article.bodyText).utf8))
        return IndexedDocument(source: SourceInfo(path: path, size: 1000, modificationTime: 1_700_000_000_000_000_000, contentHash: hash), article: article)
    }

    /// Writes the index into a new folder (under /dev/shm when it exists, so per-input file
    /// rewrites stay in memory) and returns it: two segments (the first four articles, then the
    /// fifth with a new version of the second) and a deletion file, so every file kind is there.
    public static func build() -> URL {
        let base = FileManager.default.fileExists(atPath: "/dev/shm") ? URL(fileURLWithPath: "/dev/shm") : FileManager.default.temporaryDirectory
        let folder = base.appendingPathComponent("medsearch-fuzz-\(getpid())-\(UUID().uuidString)")
        do {
            let writer = try IndexWriter(folder: folder, analyzer: .standard)
            try writer.commit(documents: Array(documents.prefix(4)), corpus: "fuzz", corpusFormat: "html", threads: 1)
            writer.delete(1)
            try writer.add([documents[1], documents[4]])
            try writer.commit(corpus: "fuzz", corpusFormat: "html")
        } catch {
            fatalError("cannot build the sample index in \(folder.path): \(error)")
        }
        return folder
    }

    /// Removes the folder when the process exits (libFuzzer exits through `exit`).
    public static func removeAtExit(_ folder: URL) {
        cleanup.folders.append(folder.path)
        if !cleanup.registered {
            cleanup.registered = true
            atexit {
                for path in SampleIndex.cleanup.folders { try? FileManager.default.removeItem(atPath: path) }
            }
        }
    }

    nonisolated(unsafe) static var cleanup: (registered: Bool, folders: [String]) = (false, [])
}
