// Word lists and page furniture for `medsearch-bench generate` (see GenerateCommand.swift).
//
// Everything here is plain data. Order matters: lists are read front to back, so earlier words get
// more frequent Zipf ranks, and changing a list changes the generated collection (bump
// `GeneratorVocabulary.version` when you do).

enum GeneratorVocabulary {
    /// Recorded in MANIFEST.txt; bump whenever the lists or the text model change.
    static let version = "medsearch-bench-generate/1"

    // MARK: Common English

    /// Function words, most frequent first. They take the top Zipf ranks and never appear in
    /// generated queries.
    static let functionWords: [String] = [
        "the", "of", "and", "to", "a", "in", "is", "for", "that", "with", "as", "on", "are", "be", "by",
        "this", "or", "it", "from", "at", "you", "your", "can", "an", "will", "have", "not", "more", "also",
        "most", "which", "their", "they", "many", "may", "other", "these", "some", "about", "than", "each",
        "who", "when", "how", "what", "all", "into", "after", "before", "during", "while", "both", "through",
        "between", "such", "if", "but", "there", "one", "two", "three", "first", "new", "well", "often", "only",
        "where", "because", "so", "any", "has", "was", "were", "been", "being", "do", "does", "should", "must",
        "would", "could", "those", "its", "our", "we", "them", "then", "out", "up", "over", "under", "within",
        "without", "per", "very", "much", "same", "every", "just", "even", "still", "however", "although",
        "whether", "since", "across", "along", "around", "against", "among", "toward", "upon", "usually",
        "typically", "generally", "four", "five", "six", "here", "why", "yet", "own", "like", "get", "gets",
    ]

    /// Everyday content words of career writing, roughly most frequent first.
    static let commonWords: [String] = [
        "work", "time", "year", "years", "people", "program", "programs", "school", "schools", "student",
        "students", "course", "courses", "training", "skills", "experience", "job", "jobs", "career", "careers",
        "field", "role", "roles", "team", "hours", "day", "week", "month", "months", "state", "states", "area",
        "areas", "level", "levels", "degree", "degrees", "college", "education", "class", "classes", "hands-on",
        "practice", "knowledge", "support", "care", "health", "help", "need", "needs", "make", "take", "find",
        "learn", "start", "complete", "require", "required", "requirements", "include", "includes", "including",
        "offer", "offers", "provide", "provides", "prepare", "apply", "earn", "pay", "cost", "costs", "tuition",
        "aid", "financial", "employer", "employers", "hospital", "hospitals", "clinic", "clinics", "office",
        "offices", "center", "centers", "setting", "settings", "facility", "facilities", "outpatient",
        "inpatient", "department", "staff", "physician", "physicians", "doctor", "doctors", "family",
        "families", "community", "local", "national", "private", "public", "online", "campus", "hybrid",
        "full-time", "part-time", "shift", "shifts", "night", "weekend", "schedule", "schedules", "opportunity",
        "opportunities", "growth", "demand", "rate", "rates", "average", "annual", "hourly", "wage", "wages",
        "income", "benefits", "bonus", "overtime", "increase", "higher", "lower", "strong", "good", "best",
        "important", "common", "different", "specific", "several", "certain", "possible", "available", "likely",
        "able", "major", "key", "main", "basic", "advanced", "formal", "general", "special", "entry-level",
        "experienced", "senior", "professional", "professionals", "industry", "market", "region", "city", "rural",
        "urban", "test", "tests", "score", "pass", "passing", "questions", "study", "studies", "guide", "plan",
        "steps", "step", "process", "option", "options", "path", "choice", "choose", "decide", "compare",
        "consider", "understand", "explain", "describe", "ask", "answer", "answers", "information", "data",
        "research", "report", "reports", "result", "results", "example", "examples", "case", "cases", "part",
        "parts", "number", "type", "types", "kind", "way", "ways", "use", "used", "using", "system", "systems",
        "equipment", "technology", "tools", "machine", "machines", "computer", "software", "record", "records",
        "documentation", "communication", "detail", "attention", "physical", "stamina", "standing", "lifting",
        "safety", "quality", "standards", "policy", "policies", "law", "laws", "rules", "regulations", "board",
        "agency", "organization", "association", "member", "members", "fee", "fees", "application",
        "deadline", "renewal", "renew", "credits", "background", "check", "transcript", "math", "biology",
        "anatomy", "physiology", "chemistry", "physics", "terminology", "ethics", "lab", "labs", "instructor",
        "instructors", "faculty", "graduate", "graduates", "graduation", "enroll", "enrollment", "admission",
        "semester", "semesters", "summer", "spring", "fall", "short", "long", "fast", "quick", "easy",
        "difficult", "challenging", "rewarding", "stressful", "flexible", "stable", "growing", "competitive",
        "popular", "recent", "current", "future", "next", "last", "early", "high", "low", "small", "large",
        "better", "less", "fewer", "whole", "total", "percent", "half", "nearly", "roughly", "approximately",
        "almost", "least", "always", "never", "sometimes", "frequently", "directly", "quickly", "carefully",
        "closely", "safely", "accurately", "independently", "together", "daily", "weekly", "résumé",
        "interview", "interviews", "hire", "recruiters", "position", "positions", "openings", "supervisor",
        "manager", "management", "leadership", "promotion", "specialty", "specialties", "specialize", "transfer",
        "bridge", "pathway", "reading", "writing", "empathy", "compassion", "teamwork", "reliability", "patience",
        "comfort", "privacy", "confidentiality", "consent", "emergency", "urgent", "routine", "appointment",
        "appointments", "visit", "visits", "insurance", "billing", "question", "answering", "explaining",
        "working", "learning", "helping", "earning", "moving", "calm", "clear", "accurate", "precise",
        "organized", "friendly", "motivated", "curious", "careful", "detailed", "trusted", "respected",
    ]

    // MARK: Healthcare careers

    /// Healthcare-career terms and short phrases, most frequent first. Interleaved with the common
    /// words in the Zipf ranking, so they are frequent enough to matter in every document.
    static let healthcareTerms: [String] = [
        "patient", "patients", "clinical", "medical", "imaging", "radiology", "technologist", "technologists",
        "certification", "certified", "certificate", "license", "licensure", "licensed", "registered",
        "accredited", "accreditation", "diagnostic", "procedures", "procedure", "scan", "scans", "images",
        "radiation", "exposure", "dose", "contrast", "positioning", "X-ray", "X-rays", "radiograph",
        "radiography", "radiographer", "radiologist", "radiologists", "CT", "MRI", "ultrasound", "sonography",
        "sonographer", "sonographers", "mammography", "mammogram", "PET", "SPECT", "nuclear medicine",
        "radiopharmaceuticals", "radiotracer", "fluoroscopy", "echocardiography", "vascular", "cardiac",
        "cardiovascular", "interventional", "angiography", "bone densitometry", "DEXA", "radiation therapy",
        "oncology", "dosimetry", "ARRT", "ARDMS", "NMTCB", "ARMRIT", "CCI", "JRCERT", "CAAHEP", "ABHES", "AAMA",
        "AMT", "NHA", "NCLEX", "NCLEX-RN", "NCLEX-PN", "NREMT", "PTCB", "NBSTSA", "NBRC", "ASCP", "AAPC", "AHIMA",
        "CMA", "RMA", "CCMA", "CPT", "CNA", "LPN", "LVN", "RN", "BSN", "ADN", "EMT", "paramedic", "RRT", "CST",
        "RDMS", "RDCS", "RVT", "medical assistant", "medical assistants", "medical assisting", "phlebotomy",
        "phlebotomist", "venipuncture", "specimen", "specimens", "vital signs", "EHR", "electronic health records",
        "HIPAA", "OSHA", "CPR", "BLS", "ACLS", "triage", "injections", "EKG", "ECG", "scrubs", "nursing",
        "nurse practitioner", "registered nurse", "licensed practical nurse", "nursing assistant", "home health",
        "long-term care", "hospice", "pediatrics", "pediatric", "geriatric", "obstetrics", "emergency department",
        "ICU", "operating room", "surgical", "surgical technologist", "sterile", "sterilization",
        "pharmacy technician", "medical coding", "medical billing", "ICD-10", "claims", "respiratory therapy",
        "ventilator", "dental hygienist", "laboratory", "computed tomography", "magnetic resonance imaging",
        "positron emission tomography", "gadolinium", "gantry", "magnet", "tesla", "transducer", "Doppler",
        "gamma camera", "cyclotron", "isotope", "isotopes", "technetium", "FDG", "radiation safety", "ALARA",
        "shielding", "lead apron", "dosimeter", "clinical rotations", "clinical hours", "externship",
        "internship", "practicum", "associate degree", "bachelor's degree", "certificate program",
        "accredited program", "continuing education", "CE credits", "job outlook", "salary", "salaries",
        "median salary", "employment", "hiring", "career ladder", "cross-training", "modality", "modalities",
        "scope of practice", "state licensure", "reciprocity", "credential", "credentials", "credentialing",
        "registry", "registry exam", "board exam", "prerequisite courses", "allied health", "healthcare",
        "health care", "telehealth", "workforce", "shortage", "travel technologist", "per diem", "on-call",
        "PACS", "DICOM", "claustrophobia", "sedation", "IV", "contrast reaction", "implant screening",
        "breast imaging", "tomosynthesis", "biopsy", "catheterization", "cath lab", "echocardiogram",
        "stress test", "pulse oximetry", "blood draw", "lab tests", "urinalysis", "medication", "medications",
        "prescriptions", "dosage", "infection control", "bloodborne pathogens", "patient safety",
        "patient care", "bedside manner", "intake", "charting", "front office", "back office", "exam room",
        "preceptor", "residency", "license renewal", "NCCT", "MDCB", "ISCD", "RHIT", "CPC", "PTA", "COTA",
    ]

    /// Longer phrases inserted intact into sentences now and then, so phrase queries find them.
    static let insertedPhrases: [String] = [
        "nuclear medicine technologist", "radiologic technologist", "diagnostic medical sonographer",
        "MRI technologist", "CT technologist", "registered diagnostic medical sonographer",
        "American Registry of Radiologic Technologists", "Nuclear Medicine Technology Certification Board",
        "American Registry for Diagnostic Medical Sonography", "Certified Medical Assistant",
        "Registered Medical Assistant", "Certified Clinical Medical Assistant", "Bureau of Labor Statistics",
        "median annual salary", "job outlook through the decade", "clinical rotations at a hospital",
        "associate degree in radiologic technology", "bachelor's degree in nuclear medicine",
        "positron emission tomography", "single photon emission computed tomography",
        "magnetic resonance imaging", "computed tomography", "continuing education credits",
        "programmatic accreditation", "Joint Review Committee on Education in Radiologic Technology",
        "Commission on Accreditation of Allied Health Education Programs", "registry eligible",
        "licensed practical nurse", "registered nurse", "emergency medical technician",
        "certified nursing assistant", "phlebotomy technician", "surgical technologist",
        "radiation therapist", "cardiovascular technologist", "mammography technologist",
        "interventional radiology", "radiation safety officer", "as low as reasonably achievable",
        "patient positioning", "contrast media", "image quality", "equipment quality control",
        "electronic health record", "scope of practice", "postprimary certification",
        "structured education requirements", "state license", "entry-level position",
        "hands-on clinical experience", "board certification exam", "practice test",
        "National Healthcareer Association", "American Association of Medical Assistants",
        "fastest-growing occupations", "sign-on bonus", "travel assignments", "shift differential",
    ]

    // MARK: Careers (document topics)

    /// One career a document is about: how it is named in text, its credential and the body that
    /// awards it, a typical median salary, and terms that cluster in articles about it.
    struct Career {
        let name: String
        let credential: String
        let agency: String
        let salary: Int
        let program: String
        let terms: [String]
    }

    static let careers: [Career] = [
        Career(name: "medical assistant", credential: "CMA", agency: "AAMA", salary: 42_000, program: "Medical Assisting",
               terms: ["medical assisting", "CMA", "RMA", "CCMA", "vital signs", "injections", "front office", "back office", "EHR", "phlebotomy", "AAMA", "Certified Medical Assistant"]),
        Career(name: "radiologic technologist", credential: "ARRT", agency: "ARRT", salary: 70_000, program: "Radiologic Technology",
               terms: ["radiography", "X-ray", "X-rays", "ARRT", "JRCERT", "positioning", "radiation safety", "lead apron", "fluoroscopy", "radiograph", "American Registry of Radiologic Technologists"]),
        Career(name: "CT technologist", credential: "ARRT (CT)", agency: "ARRT", salary: 78_000, program: "Computed Tomography",
               terms: ["CT", "computed tomography", "gantry", "contrast", "contrast reaction", "IV", "postprimary certification", "dose", "ARRT", "scans"]),
        Career(name: "MRI technologist", credential: "ARMRIT", agency: "ARMRIT", salary: 82_000, program: "Magnetic Resonance Imaging",
               terms: ["MRI", "magnetic resonance imaging", "magnet", "tesla", "gadolinium", "implant screening", "claustrophobia", "ARMRIT", "ARRT", "scans"]),
        Career(name: "diagnostic medical sonographer", credential: "RDMS", agency: "ARDMS", salary: 80_000, program: "Diagnostic Medical Sonography",
               terms: ["sonography", "ultrasound", "transducer", "Doppler", "RDMS", "ARDMS", "CAAHEP", "obstetrics", "sonographer", "registry eligible"]),
        Career(name: "nuclear medicine technologist", credential: "CNMT", agency: "NMTCB", salary: 88_000, program: "Nuclear Medicine Technology",
               terms: ["nuclear medicine", "radiopharmaceuticals", "radiotracer", "gamma camera", "SPECT", "PET", "isotopes", "technetium", "NMTCB", "Nuclear Medicine Technology Certification Board"]),
        Career(name: "PET technologist", credential: "NMTCB (PET)", agency: "NMTCB", salary: 90_000, program: "Nuclear Medicine Technology",
               terms: ["PET", "positron emission tomography", "FDG", "cyclotron", "radiotracer", "oncology", "NMTCB", "isotope", "dose"]),
        Career(name: "mammography technologist", credential: "ARRT (M)", agency: "ARRT", salary: 74_000, program: "Mammography",
               terms: ["mammography", "mammogram", "breast imaging", "tomosynthesis", "biopsy", "ARRT", "postprimary certification", "compression"]),
        Career(name: "radiation therapist", credential: "ARRT (T)", agency: "ARRT", salary: 95_000, program: "Radiation Therapy",
               terms: ["radiation therapy", "oncology", "dosimetry", "linear accelerator", "treatment planning", "ARRT", "dose", "radiation safety"]),
        Career(name: "cardiovascular technologist", credential: "RCIS", agency: "CCI", salary: 66_000, program: "Cardiovascular Technology",
               terms: ["cardiovascular", "cardiac", "cath lab", "catheterization", "echocardiogram", "EKG", "stress test", "CCI", "vascular"]),
        Career(name: "echocardiographer", credential: "RDCS", agency: "ARDMS", salary: 79_000, program: "Cardiac Sonography",
               terms: ["echocardiography", "echocardiogram", "cardiac", "RDCS", "ARDMS", "Doppler", "transducer", "ultrasound"]),
        Career(name: "vascular technologist", credential: "RVT", agency: "ARDMS", salary: 77_000, program: "Vascular Sonography",
               terms: ["vascular", "RVT", "Doppler", "ultrasound", "ARDMS", "blood flow", "transducer"]),
        Career(name: "phlebotomist", credential: "CPT", agency: "NHA", salary: 39_000, program: "Phlebotomy",
               terms: ["phlebotomy", "venipuncture", "blood draw", "specimen", "specimens", "NHA", "CPT", "lab tests", "bloodborne pathogens", "phlebotomy technician"]),
        Career(name: "licensed practical nurse", credential: "NCLEX-PN", agency: "NCSBN", salary: 55_000, program: "Practical Nursing",
               terms: ["LPN", "LVN", "NCLEX-PN", "nursing", "long-term care", "medications", "charting", "licensed practical nurse", "state license"]),
        Career(name: "registered nurse", credential: "NCLEX-RN", agency: "NCSBN", salary: 86_000, program: "Nursing",
               terms: ["RN", "BSN", "ADN", "NCLEX-RN", "nursing", "ICU", "patient care", "registered nurse", "license renewal", "residency"]),
        Career(name: "certified nursing assistant", credential: "CNA", agency: "State Nurse Aide Registry", salary: 36_000, program: "Nursing Assistant",
               terms: ["CNA", "nursing assistant", "long-term care", "home health", "vital signs", "patient care", "certified nursing assistant"]),
        Career(name: "EMT", credential: "NREMT", agency: "NREMT", salary: 40_000, program: "Emergency Medical Services",
               terms: ["EMT", "NREMT", "paramedic", "CPR", "BLS", "triage", "emergency medical technician", "ambulance"]),
        Career(name: "paramedic", credential: "NRP", agency: "NREMT", salary: 53_000, program: "Paramedicine",
               terms: ["paramedic", "NREMT", "ACLS", "IV", "medications", "EMT", "triage", "ambulance"]),
        Career(name: "surgical technologist", credential: "CST", agency: "NBSTSA", salary: 57_000, program: "Surgical Technology",
               terms: ["surgical", "CST", "NBSTSA", "operating room", "sterile", "sterilization", "surgical technologist", "instruments"]),
        Career(name: "pharmacy technician", credential: "CPhT", agency: "PTCB", salary: 40_000, program: "Pharmacy Technology",
               terms: ["pharmacy technician", "PTCB", "prescriptions", "medications", "dosage", "compounding"]),
        Career(name: "medical coder", credential: "CPC", agency: "AAPC", salary: 58_000, program: "Medical Billing and Coding",
               terms: ["medical coding", "medical billing", "ICD-10", "CPC", "AAPC", "AHIMA", "claims", "RHIT", "insurance"]),
        Career(name: "respiratory therapist", credential: "RRT", agency: "NBRC", salary: 74_000, program: "Respiratory Care",
               terms: ["respiratory therapy", "RRT", "NBRC", "ventilator", "pulse oximetry", "ICU", "oxygen"]),
        Career(name: "dental hygienist", credential: "RDH", agency: "JCNDE", salary: 87_000, program: "Dental Hygiene",
               terms: ["dental hygienist", "cleanings", "X-rays", "license", "patient care", "infection control"]),
        Career(name: "medical laboratory technician", credential: "MLT", agency: "ASCP", salary: 57_000, program: "Medical Laboratory Technology",
               terms: ["laboratory", "ASCP", "specimens", "urinalysis", "lab tests", "microscope", "blood draw"]),
        Career(name: "medical dosimetrist", credential: "CMD", agency: "MDCB", salary: 125_000, program: "Medical Dosimetry",
               terms: ["dosimetry", "MDCB", "radiation therapy", "treatment planning", "oncology", "dose"]),
        Career(name: "bone densitometry technologist", credential: "CBDT", agency: "ISCD", salary: 65_000, program: "Bone Densitometry",
               terms: ["bone densitometry", "DEXA", "ISCD", "ARRT", "osteoporosis", "scans"]),
        Career(name: "interventional radiology technologist", credential: "ARRT (VI)", agency: "ARRT", salary: 84_000, program: "Interventional Radiography",
               terms: ["interventional", "angiography", "catheterization", "fluoroscopy", "interventional radiology", "ARRT", "contrast"]),
        Career(name: "physical therapist assistant", credential: "PTA", agency: "FSBPT", salary: 62_000, program: "Physical Therapist Assistant",
               terms: ["PTA", "rehabilitation", "exercises", "mobility", "license", "patient care"]),
        Career(name: "patient care technician", credential: "CPCT", agency: "NHA", salary: 38_000, program: "Patient Care Technician",
               terms: ["EKG", "phlebotomy", "vital signs", "NHA", "patient care", "nursing assistant"]),
        Career(name: "EKG technician", credential: "CET", agency: "NHA", salary: 41_000, program: "EKG Technician",
               terms: ["EKG", "ECG", "cardiac", "stress test", "NHA", "electrodes"]),
    ]

    // MARK: Titles, headings, lists

    /// Title patterns. `{C}` career, `{C2}` a second career, `{X}` credential, `{S}` state,
    /// `{N}` a small number, `{H}` a healthcare term. All include a healthcare term.
    static let titlePatterns: [String] = [
        "How to Become {aC}", "How to Become {aC} in {S}", "{C} Salary and Job Outlook", "{C} Salary in {S}",
        "{C} Certification: What the {X} Exam Covers", "{X} Certification Guide", "{C} vs. {C2}: Which Career Fits You?",
        "Top {N} {C} Programs in {S}", "{C} Job Description and Duties", "What Does {aC} Do?",
        "{C} Schools and Clinical Rotations", "Is {aC} Career Worth It?", "{C} Education Requirements in {S}",
        "A Day in the Life of {aC}", "{C} Career Guide: {H} and {H2}", "Passing the {X} Exam on Your First Try",
        "{N} Skills Every {C} Needs", "{C} Licensure in {S}", "From {C2} to {C}: A Career Change Guide",
        "{H} for the New {C}", "{C} Programs Online & On Campus",
    ]

    /// Section heading patterns (same placeholders; `{A}` the certifying agency).
    static let headingPatterns: [String] = [
        "What Does {aC} Do?", "{C} Job Duties", "Education and Training", "{C} Education Requirements",
        "Certification and Licensure", "The {X} Exam", "{A} Certification Requirements",
        "Clinical Rotations and Externships", "Salary & Job Outlook", "How Much Does {aC} Make?",
        "Work Environment", "Skills You Need", "Career Advancement", "Choosing an Accredited Program",
        "Licensure in {S}", "Continuing Education", "Frequently Asked Questions", "Pros & Cons of the Job",
        "Online vs. Campus Programs", "A Typical Day on the Job", "Next Steps", "What \"Registry Eligible\" Means",
        "Working With {H}", "{H} Basics", "Where {aC} Works", "Becoming {aC} in {S}",
    ]

    /// Ready-made list items (`{C}`, `{aC}`, `{X}`, `{A}`, `{P}`, `{S}` as above; `{N}` a credit count,
    /// `{Hours}` clinical hours), mixed with generated ones. Each has a part that varies between
    /// documents: a step repeated word for word on a large share of a site's pages reads as
    /// template text to corpus-level boilerplate detection.
    static let listItemPatterns: [String] = [
        "Earn a high school diploma or GED before applying to {P} programs", "Complete an accredited {P} program",
        "Pass the {X} exam", "Maintain CPR and BLS certification while working as {aC}",
        "Complete {Hours} hours of supervised clinical rotations", "Apply for your {S} license if the state requires one",
        "Renew your {A} credential every two years", "Log {N} continuing education credits per renewal cycle",
        "Submit transcripts & proof of graduation to {A}", "Pass a background check and drug screen in {S}",
        "Shadow {aC} for a day", "Build a résumé that lists your {Hours} clinical hours",
    ]

    static let states: [String] = [
        "Alabama", "Alaska", "Arizona", "Arkansas", "California", "Colorado", "Connecticut", "Delaware", "Florida",
        "Georgia", "Hawaii", "Idaho", "Illinois", "Indiana", "Iowa", "Kansas", "Kentucky", "Louisiana", "Maine",
        "Maryland", "Massachusetts", "Michigan", "Minnesota", "Mississippi", "Missouri", "Montana", "Nebraska",
        "Nevada", "New Hampshire", "New Jersey", "New Mexico", "New York", "North Carolina", "North Dakota", "Ohio",
        "Oklahoma", "Oregon", "Pennsylvania", "Rhode Island", "South Carolina", "South Dakota", "Tennessee", "Texas",
        "Utah", "Vermont", "Virginia", "Washington", "West Virginia", "Wisconsin", "Wyoming",
    ]

    /// Aspect words that queries combine with careers ("ct technologist salary").
    static let queryAspects: [String] = [
        "salary", "certification", "programs", "requirements", "outlook", "schools", "training", "exam",
        "license", "jobs", "online", "degree", "hours", "duties", "employers", "hospital", "credits",
    ]

    // MARK: Synthetic long tail

    /// Syllable parts; repeated entries are simply more likely.
    static let syllableOnsets: [String] = [
        "b", "c", "d", "f", "g", "h", "k", "l", "m", "n", "p", "r", "s", "t", "v", "w", "b", "d", "l", "m",
        "n", "r", "s", "t", "br", "cr", "dr", "gr", "pl", "pr", "st", "tr", "ch", "sh", "th",
    ]
    static let syllableVowels: [String] = ["a", "e", "i", "o", "u", "a", "e", "i", "o", "a", "e", "ea", "io", "ou"]
    static let syllableCodas: [String] = ["", "", "", "", "", "n", "r", "s", "l", "m", "t", "x", "nd", "st"]
    static let wordEndings: [String] = [
        "", "", "", "", "", "", "", "", "", "", "ology", "itis", "ment", "al", "ic", "ive", "ist", "ary", "ous", "er", "ing", "ed", "s", "s",
    ]

    // MARK: Page furniture

    static let authors: [String] = [
        "Dana Whitfield, RT(R)", "Marcus Ortega", "Priya Raman, RDMS", "Jordan Ellis", "Kim Nguyen, CMA (AAMA)",
        "Aaron Feld", "Lucia Moreno, CNMT", "Beth Caldwell, RN", "Samir Haddad", "Tess O'Brien, R.T.(R)(CT)",
        "Grace Liu", "Owen Brooks, EMT", "Hannah Kessler", "Victor Alvarez, RRT", "Maya Patel", "Chris Donnelly",
    ]

    static let months: [String] = [
        "January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
        "November", "December",
    ]

    static let schoolPlaces: [String] = [
        "Lakeview", "Riverside", "Cedar Valley", "Summit", "Bayshore", "Pine Ridge", "Harbor City", "Northgate",
        "Westfield", "Granite Falls", "Maple Grove", "Clearwater", "Stonebridge", "Fairmont", "Oak Hollow",
        "Silver Lake", "Eastbrook", "Red Rock", "Prairie View", "Kingsport",
    ]

    static let schoolKinds: [String] = [
        "Community College", "Technical Institute", "School of Health Sciences", "University",
        "College of Allied Health", "Career Academy", "State College", "Medical Institute",
    ]

    static let credentialsOffered: [String] = ["Certificate", "Diploma", "AAS", "AS", "BS", "Online Certificate"]

    static let adHeadlines: [String] = [
        "Find Accredited Programs Near You", "Explore {P} Programs Near You", "Get Matched With Accredited Schools",
        "Start Your {P} Training This Fall",
    ]

    /// Evergreen pages every related-articles list may link to.
    static let evergreenTitles: [String] = [
        "How to Choose an Accredited Healthcare Program", "Financial Aid for Allied Health Students",
        "Healthcare Careers You Can Start in a Year", "Preparing for Your First Clinical Rotation",
    ]
}
