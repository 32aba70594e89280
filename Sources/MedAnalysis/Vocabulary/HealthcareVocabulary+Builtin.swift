extension HealthcareVocabulary {
    /// The vocabulary that ships with MedSearch, in the same text format as a user vocabulary file
    /// (see `HealthcareVocabulary.parse(_:)`).
    ///
    /// It covers US healthcare careers: imaging modalities and procedures, radiation safety and
    /// contrast, job titles, certifying and accrediting bodies, credentials, exams and schooling,
    /// workplaces, and the words career articles use for pay and outlook. `a | b | c` is a two-way
    /// group (the first variant is the canonical name); `a => b | c` expands the left side only.
    ///
    /// It is applied to query text only; documents are indexed without it. A query term or phrase
    /// that matches one variant also searches the others, weighted a little below the literal term.
    ///
    /// Rules are chosen to be true equivalents in this domain. Short forms that collide with an
    /// ordinary English word, a stopword or another meaning in healthcare are either left out or
    /// made one-way; each such decision has a comment next to it. Variants are written in plain
    /// words and go through the same analysis as queries, so plurals and most inflections (which
    /// Porter2 already conflates) have no rules of their own, and no two variants here analyze to
    /// the same terms.
    static let builtinSource: String = #"""
    # MedSearch built-in healthcare vocabulary (US).
    #
    #   a | b | c      two-way: each variant expands to all the others; the first is the canonical name
    #   a => b | c     one-way: query text "a" expands to b and c, but b and c never expand to "a"
    #
    # One-way rules are for short forms that are safe to expand from a query but wrong to produce
    # from the long form, because the short form also means something else.
    #
    # Left out on purpose, anywhere in this file (each would match ordinary words or another meaning):
    #   us (ultrasound: pronoun, United States)        or (operating room: conjunction, a stopword)
    #   it (information technology: pronoun, a stopword)   him (health information management: pronoun)
    #   mr (magnetic resonance: the title Mr.)         dr (digital radiography: the title Dr.)
    #   do (osteopathic physician: the verb)           ed (emergency department: "continuing ed", Ed)
    #   pt (physical therapist: patient, part-time)    ot (occupational therapist: overtime)
    #   rt (respiratory therapist, radiation therapy and radiologic technologist R.T. all at once)
    #   ra (radiologist assistant: rheumatoid arthritis, resident assistant)
    #   ms (Master of Science, multiple sclerosis, Mississippi)   cv (curriculum vitae, cardiovascular)
    #   rad (a unit of absorbed radiation dose; "rad tech" as a phrase is kept)
    #   cat (the animal; "cat scan" as a phrase is kept)
    #   cns (clinical nurse specialist, central nervous system)   dbt (breast tomosynthesis, behavior therapy)
    #   nrp (NREMT paramedic credential, Neonatal Resuscitation Program)
    #   med tech (medical technologist, medication technician, medical technology)
    #   aacn (two different nursing associations)      boc (ASCP Board of Certification, athletic trainers' BOC)
    #   rd (registered dietitian: road, 3rd)           earnings (Porter2 stems it to "earn")

    # ---------------------------------------------------------------------------------------------
    # Imaging modalities and procedures
    # ---------------------------------------------------------------------------------------------

    # MRI. "mr" alone is left out (see above); "mr imaging" and "mr angiography" are safe phrases.
    mri | magnetic resonance imaging | mr imaging
    fmri | functional mri | functional magnetic resonance imaging
    magnetic resonance angiography | mr angiography | mra

    # CT. "ct" also abbreviates Connecticut and the cytotechnologist credential CT(ASCP); both are rare
    # next to computed tomography in career articles, so "ct" stays two-way. "cat" alone is left out.
    ct | computed tomography | computerized tomography | computed axial tomography | cat scan | ct scan
    ct angiography | computed tomography angiography
    # "cta" is also "call to action".
    cta => ct angiography | computed tomography angiography
    cone beam ct | cone-beam computed tomography | cbct
    ct colonography | virtual colonoscopy

    # Nuclear medicine, PET and SPECT. "pet" alone is also the animal (pet therapy, vet tech pages):
    # a query "pet" may expand to the long form, but the long form produces only "pet scan"/"pet imaging".
    nuclear medicine | nuc med | nuclear imaging | radionuclide imaging
    positron emission tomography | pet scan | pet imaging
    pet => positron emission tomography
    spect | single photon emission computed tomography
    myocardial perfusion imaging | nuclear stress test
    radiotracer | radioactive tracer
    radiopharmaceutical | radioactive drug

    # Ultrasound. "us" is deliberately not a variant: it is the pronoun and the United States.
    ultrasound | sonography | ultrasonography | diagnostic medical sonography | sonogram
    obstetric ultrasound | ob ultrasound | prenatal ultrasound | obstetric sonography
    vascular sonography | vascular ultrasound
    musculoskeletal ultrasound | msk ultrasound | musculoskeletal sonography

    # Echocardiography. "echo" is also an ordinary word ("these findings echo ..."), so one-way;
    # "tee" is also a golf tee / T-shirt, so one-way. "tte" has no other common meaning.
    echocardiography | echocardiogram | cardiac ultrasound | cardiac sonography | heart ultrasound
    echo => echocardiography | echocardiogram
    tte | transthoracic echocardiogram | transthoracic echocardiography
    transesophageal echocardiogram | transesophageal echocardiography
    tee => transesophageal echocardiogram | transesophageal echocardiography

    # Radiography. "radiograph" (the image) is left out because Porter2 stems it like "radiographer"
    # (the person), which belongs to the radiologic technologist group below.
    x-ray | xray | radiography | plain film | plain radiography
    chest x-ray | cxr | chest radiograph
    portable x-ray | portable radiography | mobile radiography
    # "cr" alone is also credit, Costa Rica, etc.; "dr" (digital radiography) is left out entirely.
    cr => computed radiography
    fluoroscopy | fluoro

    # Breast imaging. "dbt" is left out (dialectical behavior therapy).
    mammography | mammogram | mammo
    3d mammography | digital breast tomosynthesis | breast tomosynthesis
    mqsa | mammography quality standards act

    # Bone densitometry
    bone densitometry | dexa | dxa | dual-energy x-ray absorptiometry | bone density scan | bone density test

    # Interventional radiology and angiography. "ir" is also infrared, so one-way.
    interventional radiology | vascular and interventional radiology | vascular interventional radiography
    ir => interventional radiology
    angiography | angiogram
    # "dsa" is also data structures / Democratic Socialists of America.
    dsa => digital subtraction angiography
    cardiac catheterization | heart catheterization | cardiac cath
    cath lab | cardiac cath lab | catheterization lab | cardiac catheterization laboratory

    # Electrodiagnostics
    ekg | ecg | electrocardiogram | electrocardiography
    eeg | electroencephalogram | electroencephalography

    # Imaging informatics
    medical imaging | diagnostic imaging
    pacs | picture archiving and communication system
    ris | radiology information system
    dicom | digital imaging and communications in medicine

    # Radiation therapy. "radiation oncology" is the physicians' specialty, not a synonym, so not linked.
    radiation therapy | radiotherapy | radiation treatment
    linac | linear accelerator
    imrt | intensity-modulated radiation therapy
    igrt | image-guided radiation therapy
    sbrt | stereotactic body radiation therapy | stereotactic ablative radiotherapy | sabr
    srs | stereotactic radiosurgery
    brachytherapy | internal radiation therapy

    # ---------------------------------------------------------------------------------------------
    # Radiation safety, contrast, infection control, life support
    # ---------------------------------------------------------------------------------------------

    alara | as low as reasonably achievable
    radiation safety | radiation protection
    rso | radiation safety officer
    dosimeter | radiation badge | dosimetry badge | film badge | radiation monitoring badge
    # "tld" is also a top-level domain.
    tld => thermoluminescent dosimeter
    osl dosimeter | optically stimulated luminescence dosimeter
    lead apron | radiation apron | x-ray apron
    millisievert | msv
    millirem | mrem
    mrso | mr safety officer | magnetic resonance safety officer

    contrast agent | contrast medium | contrast media | contrast dye | contrast material
    gadolinium-based contrast agent | gbca | gadolinium contrast
    iodinated contrast | iodine-based contrast
    # "nsf" is also the National Science Foundation.
    nsf => nephrogenic systemic fibrosis

    hipaa | health insurance portability and accountability act
    # "phi" is also the Greek letter and Phi Theta Kappa (community-college honor society).
    phi => protected health information
    osha | occupational safety and health administration
    ppe | personal protective equipment
    bloodborne | blood-borne
    venipuncture | blood draw | venepuncture
    # "iv" is also the Roman numeral (stage IV, CPT IV).
    iv => intravenous
    abg | arterial blood gas
    cpap | continuous positive airway pressure

    # Life support. Bare "bls" is left out: in this corpus it means both Basic Life Support and the
    # Bureau of Labor Statistics (the usual salary source); only the unambiguous phrase is linked.
    cpr | cardiopulmonary resuscitation
    bls certification | basic life support certification
    acls | advanced cardiovascular life support | advanced cardiac life support
    # "pals" is also an ordinary word (friends).
    pals => pediatric advanced life support
    aed | automated external defibrillator

    # ---------------------------------------------------------------------------------------------
    # Roles: imaging and radiation therapy
    # ---------------------------------------------------------------------------------------------

    # Radiographer = radiologic technologist (ARRT). "radiology technologist" needs no rule: Porter2
    # already stems it like "radiologic technologist". "x-ray tech/technician" and "radiology
    # technician" are colloquial and in some states name a limited-scope x-ray operator, so they
    # expand to the full title but the full title does not produce them.
    radiologic technologist | radiographer | rad tech | radiology tech | x-ray technologist
    x-ray tech => radiologic technologist | radiographer
    x-ray technician => radiologic technologist | radiographer
    radiology technician => radiologic technologist | radiographer

    mri technologist | mri tech | mri technician | mr technologist | magnetic resonance imaging technologist
    ct technologist | ct tech | ct technician | cat scan technologist | computed tomography technologist
    sonographer | diagnostic medical sonographer | ultrasound technician | ultrasound tech | ultrasound technologist
    echocardiographer | cardiac sonographer | echo tech | echo technician
    vascular sonographer | vascular technologist | vascular ultrasound technologist | vascular tech
    mammographer | mammography technologist | mammography tech | mammo tech
    nuclear medicine technologist | nuclear medicine tech | nuc med tech | nuclear medicine technician
    interventional radiology technologist | ir tech | interventional technologist | special procedures technologist
    cardiovascular technologist | cardiovascular tech
    # "cvt" is also cerebral venous thrombosis.
    cvt => cardiovascular technologist
    cath lab tech | cardiac catheterization technologist | invasive cardiovascular technologist
    radiation therapist | radiation therapy technologist
    medical dosimetrist | dosimetrist
    # Radiologist assistant: linked with its ARRT credential RRA (see below); "ra" is left out.
    # "radiology assistant" is NOT linked to it: that title is often an entry-level aide.
    ekg technician | ecg technician | ekg tech | ecg tech | cardiographic technician
    eeg technologist | eeg tech | electroencephalographic technologist
    polysomnographic technologist | sleep technologist | sleep tech | polysomnographer

    # ---------------------------------------------------------------------------------------------
    # Roles: nursing, patient care, therapy
    # ---------------------------------------------------------------------------------------------

    rn | registered nurse
    # LVN is the title in California and Texas for the same license.
    lpn | lvn | licensed practical nurse | licensed vocational nurse
    # Porter2 already stems "nurse aide" and "nursing aide" alike.
    cna | certified nursing assistant | certified nurse aide | nurse aide | nursing assistant
    hha | home health aide
    patient care technician | patient care tech
    # "pct" is also "percent".
    pct => patient care technician
    np | nurse practitioner
    aprn | advanced practice registered nurse
    crna | certified registered nurse anesthetist | nurse anesthetist
    cnm | certified nurse-midwife
    bsn | bachelor of science in nursing
    adn | associate degree in nursing
    msn | master of science in nursing
    dnp | doctor of nursing practice

    # Medical assistants. "ma" is also Massachusetts and Master of Arts, so one-way.
    ma => medical assistant
    medical administrative assistant | medical office assistant | medical secretary

    physical therapist assistant | physical therapy assistant
    # "pta" is also a parent-teacher association.
    pta => physical therapist assistant
    slp | speech-language pathologist | speech therapist
    registered dietitian | registered dietitian nutritionist | rdn
    veterinary technician | vet tech

    # ---------------------------------------------------------------------------------------------
    # Roles: emergency medical services
    # ---------------------------------------------------------------------------------------------

    emt | emergency medical technician
    aemt | advanced emt | advanced emergency medical technician
    paramedic | emt-paramedic | emt-p
    ems | emergency medical services
    # "emr" means both electronic medical record and emergency medical responder here: a query "emr"
    # searches both, and neither long form produces "emr".
    emr => electronic medical record | emergency medical responder

    # ---------------------------------------------------------------------------------------------
    # Roles: surgery, sterile processing, pharmacy, laboratory, respiratory, physician assistant
    # ---------------------------------------------------------------------------------------------

    # "or tech" is left out: "or" is the conjunction ("nurse or tech").
    surgical technologist | surgical tech | surgical technician | scrub tech | operating room technician
    sterile processing technician | sterile processing tech | central sterile technician | central service technician
    anesthesia technician | anesthesia tech

    pharmacy technician | pharmacy tech

    laboratory | lab
    # MLS = clinical laboratory scientist = medical technologist (the titles ASCP merged in 2009);
    # MLT (technician, associate degree) is a different role and is kept apart.
    medical laboratory scientist | mls | clinical laboratory scientist | cls | medical technologist
    medical laboratory technician | mlt | clinical laboratory technician
    medical laboratory science | clinical laboratory science
    # "lab tech" is used loosely for both levels.
    lab tech => laboratory technician | laboratory technologist
    histotechnician | histology technician
    histotechnologist | histology technologist
    phlebotomist | phlebotomy technician | phlebotomy tech
    dialysis technician | dialysis tech | hemodialysis technician

    respiratory therapist | respiratory care practitioner
    respiratory therapy | respiratory care

    # "pa" is also Pennsylvania: a query "pa" expands, but the long form never produces "pa".
    physician assistant | physician associate
    pa => physician assistant | physician associate

    # ---------------------------------------------------------------------------------------------
    # Roles and terms: medical coding, billing, health information
    # ---------------------------------------------------------------------------------------------

    medical coder | medical coding specialist | coding specialist
    medical billing and coding | medical coding and billing
    medical biller | medical billing specialist | billing specialist
    health information technician | medical records technician | medical records specialist
    ehr | electronic health record
    # CPT: bare "cpt" is NOT a variant. In coding it is Current Procedural Terminology (AMA); for
    # phlebotomists it is NHA's Certified Phlebotomy Technician. Only unambiguous phrases are linked.
    current procedural terminology | cpt code
    phlebotomy cpt => certified phlebotomy technician
    nha cpt => certified phlebotomy technician
    # "icd" is also an implantable cardioverter-defibrillator (cardiac device and EP lab articles).
    icd => international classification of diseases | implantable cardioverter-defibrillator
    hcpcs | healthcare common procedure coding system
    drg | diagnosis-related group
    ncci | national correct coding initiative
    # "cci" is Cardiovascular Credentialing International and also the (National) Correct Coding
    # Initiative's "CCI edits": a query "cci" searches both; neither long form produces "cci".
    cci => cardiovascular credentialing international | correct coding initiative
    clinical documentation integrity | clinical documentation improvement
    # "cdi" is also C. difficile infection (infection control).
    cdi => clinical documentation integrity | clinical documentation improvement
    cms | centers for medicare and medicaid services

    # ---------------------------------------------------------------------------------------------
    # Certification bodies, professional societies, accreditors, regulators
    # ---------------------------------------------------------------------------------------------

    # Imaging and radiation therapy
    arrt | american registry of radiologic technologists
    asrt | american society of radiologic technologists
    ardms | american registry for diagnostic medical sonography
    sdms | society of diagnostic medical sonography
    nmtcb | nuclear medicine technology certification board
    snmmi | society of nuclear medicine and molecular imaging
    mdcb | medical dosimetrist certification board
    iscd | international society for clinical densitometry
    acr | american college of radiology
    # "abr" is also the auditory brainstem response test (neurodiagnostics, audiology).
    abr => american board of radiology | auditory brainstem response

    # Allied health certification
    aama | american association of medical assistants
    amt | american medical technologists
    nha | national healthcareer association | national health career association
    ncct | national center for competency testing
    amca | american medical certification association
    nbstsa | national board of surgical technology and surgical assisting
    ptcb | pharmacy technician certification board
    ascp | american society for clinical pathology
    nbrc | national board for respiratory care
    aarc | american association for respiratory care
    danb | dental assisting national board
    nbcot | national board for certification in occupational therapy
    brpt | board of registered polysomnographic technologists
    # IAHCSMM renamed itself HSPA in 2023.
    hspa | healthcare sterile processing association | iahcsmm

    # Nursing, EMS, physician assistants, coding
    ncsbn | national council of state boards of nursing
    nremt | national registry of emergency medical technicians
    nccpa | national commission on certification of physician assistants
    # AAPA changed "assistants" to "associates" in its name in 2021; articles use both.
    aapa | american academy of physician associates | american academy of physician assistants
    ahima | american health information management association
    # AAPC now uses only the initials; older articles spell out the former name.
    aapc | american academy of professional coders

    # Program accreditors
    jrcert | joint review committee on education in radiologic technology
    jrc-dms | jrcdms | joint review committee on education in diagnostic medical sonography
    jrcnmt | joint review committee on educational programs in nuclear medicine technology
    caahep | commission on accreditation of allied health education programs
    abhes | accrediting bureau of health education schools
    naacls | national accrediting agency for clinical laboratory sciences
    coarc | commission on accreditation for respiratory care
    arc-pa | accreditation review commission on education for the physician assistant
    acen | accreditation commission for education in nursing
    ccne | commission on collegiate nursing education

    # Regulators and facility accreditation
    joint commission | jcaho | tjc
    fda | food and drug administration
    nrc | nuclear regulatory commission

    # ---------------------------------------------------------------------------------------------
    # Credentials (issuer in the heading)
    # ---------------------------------------------------------------------------------------------

    # ARRT
    rra | registered radiologist assistant | radiologist assistant
    cqr | continuing qualifications requirements
    # ARDMS
    rdms | registered diagnostic medical sonographer
    rdcs | registered diagnostic cardiac sonographer
    rvt | registered vascular technologist
    rmsks | registered in musculoskeletal sonography
    rpvi | registered physician in vascular interpretation
    spi | sonography principles and instrumentation
    # CCI
    rcs | registered cardiac sonographer
    # "rvs" is also a relative value scale (medical billing).
    rvs => registered vascular specialist | relative value scale
    rcis | registered cardiovascular invasive specialist
    cct | certified cardiographic technician
    # NMTCB, ISCD, MDCB
    cnmt | certified nuclear medicine technologist
    cbdt | certified bone densitometry technologist
    # "cmd" is also a computer command; rare in career articles, so two-way.
    cmd | certified medical dosimetrist
    # AAMA, AMT, NHA, NCCT. "cma" can also be a state "certified medication aide"; the medical
    # assistant meaning dominates career articles, so two-way.
    cma | certified medical assistant
    rma | registered medical assistant
    ccma | certified clinical medical assistant
    cmaa | certified medical administrative assistant
    cbcs | certified billing and coding specialist
    cet | certified ekg technician
    cpct | certified patient care technician
    ncma | national certified medical assistant
    # NBSTSA. "cst" is also Central Standard Time, rare in article text, so two-way.
    cst | certified surgical technologist
    csfa | certified surgical first assistant
    # PTCB, NHA (the ExCPT exam also leads to a CPhT)
    cpht | certified pharmacy technician
    ptce | pharmacy technician certification exam
    excpt | exam for the certification of pharmacy technicians
    # NBRC. "rrt" is also a rapid response team (nursing) and renal replacement therapy; "crt" is
    # also cardiac resynchronization therapy and a cathode-ray tube. One-way for both.
    rrt => registered respiratory therapist
    crt => certified respiratory therapist
    # ASCP BOC. "pbt" is also "persistent, bioaccumulative and toxic".
    pbt => phlebotomy technician
    # AAPC, AHIMA
    cpc | certified professional coder
    cpb | certified professional biller
    ccs | certified coding specialist
    ccs-p | certified coding specialist-physician-based
    # "cca" is also the common carotid artery (vascular sonography).
    cca => certified coding associate | common carotid artery
    rhit | registered health information technician
    rhia | registered health information administrator
    # NCCPA
    pa-c | physician assistant-certified | certified physician assistant
    pance | physician assistant national certifying examination
    # DANB, NBCOT, other boards
    cda | certified dental assistant
    cota | certified occupational therapy assistant
    rdh | registered dental hygienist
    crcst | certified registered central service technician
    ccht | certified clinical hemodialysis technician
    rpsgt | registered polysomnographic technologist
    cen | certified emergency nurse

    # ---------------------------------------------------------------------------------------------
    # Exams, schooling, continuing education
    # ---------------------------------------------------------------------------------------------

    nclex | national council licensure examination
    exam | examination
    practice exam | practice test
    registry exam => certification exam
    # Certification <-> credential is two-way: in these articles "credential" nearly always names a
    # certification (RDMS, CMA). Note that Porter2 already stems "certificate" (a school's program)
    # like "certification"; the vocabulary cannot separate them.
    certification | credential
    licensure | license | licence
    continuing education | continuing ed
    # "ce" alone is also CE marking and Common Era; one-way. CME (continuing medical education, for
    # physicians and PAs) is kept apart: technologists' CE credits are not CME.
    ce => continuing education
    ce credit | continuing education credit
    ceu | continuing education unit
    cme | continuing medical education
    aas | associate of applied science
    bachelor degree | baccalaureate degree
    prerequisite | prereq
    clinical rotation | clinical placement | clinical practicum

    # ---------------------------------------------------------------------------------------------
    # Workplaces and units
    # ---------------------------------------------------------------------------------------------

    healthcare | health care
    icu | intensive care unit
    nicu | neonatal intensive care unit
    picu | pediatric intensive care unit
    emergency department | emergency room
    # "er" is kept one-way ("ed" is left out: continuing ed, Ed).
    er => emergency room | emergency department
    pacu | post-anesthesia care unit | recovery room
    med-surg | medical-surgical
    snf | skilled nursing facility
    ltc | long-term care
    ambulatory surgery center | ambulatory surgical center | outpatient surgery center
    obstetrics and gynecology | ob-gyn | obgyn
    # "prn" (as needed) names per-diem shifts in job listings; it is also a medication order.
    prn => per diem

    # ---------------------------------------------------------------------------------------------
    # Career words: pay, outlook, the job itself
    # ---------------------------------------------------------------------------------------------

    salary | wage | pay
    # "earnings" is left out on both sides: Porter2 stems it to "earn", so even a one-way rule would
    # fire on "earn the credential". "compensation" is one-way: it also means workers' compensation.
    compensation => salary | wage | pay
    job outlook | employment outlook | job growth | employment growth | job prospects
    work environment | work setting
    pros and cons | advantages and disadvantages
    typical day | day in the life

    # ---------------------------------------------------------------------------------------------
    # Spelling variants people actually write
    # ---------------------------------------------------------------------------------------------

    orthopedic | orthopaedic
    pediatric | paediatric
    anesthesia | anaesthesia
    hematology | haematology
    dietitian | dietician
    """#
}
