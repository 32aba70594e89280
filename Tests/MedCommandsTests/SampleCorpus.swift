import Foundation

/// A small, fixed corpus for golden-file and terminal tests: four short career pages with
/// sections, written fresh for every test with fixed modification times, so the index built from
/// them (and every output derived from it) is the same on every run and every machine.
enum SampleCorpus {
    /// The pages, by path under `Corpus/`. `sonographer` is the only term starting with "sonogr".
    static let pages: [(path: String, html: String)] = [
        ("imaging/sonographer.html", """
        <html><head><title>Diagnostic Medical Sonographer</title></head><body>
        <nav><a href="/">Home</a> <a href="/careers">Careers</a></nav>
        <article><h1>Diagnostic Medical Sonographer</h1>
        <p>A diagnostic medical sonographer uses ultrasound to image organs, blood vessels and a growing baby.</p>
        <h2>Certification</h2>
        <p>Most employers expect ARDMS certification; the RDMS credential follows the SPI exam and a specialty exam.</p>
        <h2>Work setting</h2>
        <p>Sonographers work in hospitals and clinics, often standing for long shifts at the scanner.</p>
        </article></body></html>
        """),
        ("imaging/mri-technologist.html", """
        <html><head><title>MRI Technologist Guide</title></head><body>
        <article><h1>MRI Technologist Guide</h1>
        <p>Magnetic resonance imaging technologists scan patients with a strong magnet and radio waves.</p>
        <h2>Certification</h2>
        <p>The ARRT (MR) credential follows an accredited program; ARMRIT certification is an alternative.</p>
        <h2>Safety</h2>
        <p>The magnet is always on, so screening every patient for metal matters.</p>
        </article></body></html>
        """),
        ("imaging/ct-technologist.html", """
        <html><head><title>CT Technologist</title></head><body>
        <article><h1>CT Technologist</h1>
        <p>CT technologists run computed tomography scanners and give iodinated contrast when the exam needs it.</p>
        <h2>Radiation dose</h2>
        <p>Keeping the radiation dose as low as reasonably achievable is part of every CT protocol.</p>
        </article></body></html>
        """),
        ("lab/phlebotomist.html", """
        <html><head><title>Phlebotomist: Duties and Certification</title></head><body>
        <article><h1>Phlebotomist: Duties and Certification</h1>
        <p>A phlebotomist draws blood by venipuncture and capillary puncture for laboratory tests.</p>
        <h2>Certification</h2>
        <p>The NHA CPT certification requires documented venipunctures on live patients.</p>
        </article></body></html>
        """),
    ]

    /// Every page's modification time (indexed with the file, so it must not vary).
    static let modificationDate = Date(timeIntervalSince1970: 1_735_689_600)  // 2025-01-01

    /// A temporary folder holding `Corpus/` and, when `indexed`, `Index/` built from it.
    static func workspace(indexed: Bool = true) throws -> URL {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("medsearch-sample-\(UUID().uuidString)")
        for page in pages {
            let file = root.appendingPathComponent("Corpus").appendingPathComponent(page.path)
            try FileManager.default.createDirectory(at: file.deletingLastPathComponent(), withIntermediateDirectories: true)
            try Data(page.html.utf8).write(to: file)
            try FileManager.default.setAttributes([.modificationDate: modificationDate], ofItemAtPath: file.path)
        }
        if indexed {
            let result = try CLI.run(["index", "--quiet"], in: root)
            guard result.status == 0 else { throw SampleCorpusError.indexFailed(result.stderr) }
        }
        return root
    }

    enum SampleCorpusError: Error {
        case indexFailed(String)
    }
}
