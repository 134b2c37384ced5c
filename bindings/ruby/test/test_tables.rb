# The error classes and constants are the core's tables, exactly: the
# classes against nws_swig::error_kinds(), the constants against the .def
# files the core was built from (shipped in the gem), the version against
# the native library's.
require_relative 'server_helper'

class TestTables < Minitest::Test
  def kinds
    Nws_raw.error_kinds.to_a
  end

  def class_of(kind)
    NWS.const_get(kind.end_with?('Error') ? kind : "#{kind}Error", false)
  end

  def def_file(name)
    File.read(File.join(NWSTest.gem_root, 'ext', 'nws_raw', 'nwscore', 'include', 'nws', name))
  end

  def test_every_error_kind_has_its_class
    by_id = kinds.to_h { |k| [k.id, k] }
    kinds.each do |k|
      klass = class_of(k.kind)
      parent = k.parent == 'none' ? StandardError : class_of(by_id.fetch(k.parent).kind)
      assert_same parent, klass.superclass, "#{klass}'s superclass"
      assert_equal k.id, klass::KIND
      k.code == -1 ? assert_nil(klass::CODE) : assert_equal(k.code, klass::CODE)
      assert_equal k.name, klass::NAME
      assert_same klass, NWS::ERROR_CLASSES.fetch(k.name)
      assert_equal k.name, Nws_raw.errc_name(k.code) unless k.code == -1
    end
    assert_equal kinds.map { |k| [k.id, k.code == -1 ? nil : k.code, k.parent == 'none' ? nil : k.parent, k.kind, k.name] },
                 NWS::ERROR_TABLE.map { |row| row[0, 5] }
  end

  def test_no_error_class_outside_the_table
    ours = NWS.constants.map { |c| NWS.const_get(c) }.select { |c| c.is_a?(Class) && c <= NWS::Error }
    assert_equal kinds.map { |k| class_of(k.kind) }.sort_by(&:name), ours.sort_by(&:name)
  end

  def test_the_groups_and_names_of_the_issue
    assert_operator NWS::TimeoutError, :<, NWS::OperationError
    assert_operator NWS::CancelledError, :<, NWS::OperationError
    assert_operator NWS::DeclarationFailedError, :<, NWS::OperationError
    assert_operator NWS::ServerError, :<, NWS::OperationError
    assert_operator NWS::ClosedError, :<, NWS::ConnectionDroppedError
    assert_operator NWS::ConnectionDroppedError, :<, NWS::CommunicationError
    assert_operator NWS::Error, :<, StandardError
  end

  def test_native_errors_get_their_class
    kinds.reject { |k| k.code == -1 }.each do |k|
      e = NWS._native_error(k.name, 'message', 3, 'why')
      assert_instance_of class_of(k.kind), e
      assert_equal k.name, e.code
      assert_equal 3, e.status
      assert_equal 'why', e.reason
      assert_equal 'message', e.message.delete_prefix("NWS error (#{k.name}): ")
    end
  end

  def test_version
    assert_equal Nws_raw.version, NWS::VERSION
    assert_match(/\A\d+\.\d+\.\d+/, NWS::VERSION)
    spec = Gem.loaded_specs['nws']
    assert_equal NWS::VERSION, spec.version.to_s if spec
  end

  def test_languages
    table = def_file('values.def').scan(/^NWS_LANGUAGE\((\w+), (\d+), "([^"]*)"\)/)
    refute_empty table
    assert_equal table.to_h { |id, n, _| [id.to_sym, Integer(n)] }, NWS::LANGUAGES
    table.each do |_, n, display|
      next if n == '0'

      assert_equal display, NWS::LANGUAGE_NAMES.fetch(Integer(n))
      assert_equal display, Nws_raw.language_name(Integer(n))
    end
  end

  def test_descriptor_bits
    text = def_file('values.def')
    flags = text.scan(/^NWS_DESCRIPTOR_FLAG\((\w+), (0x\h+)/).to_h { |id, mask| [id, Integer(mask)] }
    assert_equal({ 'direct_string' => NWS::DIRECT_STRING, 'binary' => NWS::BINARY, 'portable' => NWS::PORTABLE },
                 flags)
    shift, width = text.match(/^NWS_DESCRIPTOR_FIELD\(language, (\d+), (\d+)/).captures.map { |s| Integer(s) }
    assert_equal shift, NWS::LANGUAGE_SHIFT
    assert_equal (1 << width) - 1, NWS::LANGUAGE_MASK
    # The core reads the writer where these constants put it.
    message = Nws_raw.unreadable_value_message('w', 'v', NWS::LANGUAGES[:python] << NWS::LANGUAGE_SHIFT,
                                               NWS::LANGUAGES[:ruby], '')
    assert_match(/serialised by Python \(language id 1\), and Ruby reads/, message)
  end

  def test_modes
    modes = def_file('modes.def').scan(/^NWS_MODE\((\w+), "([^"]*)", (\w+)\)/)
    assert_equal modes.select { |_, _, kind| kind == 'standard' }.map { |m| m[1] }, NWS::MODES
    assert_equal modes.reject { |_, _, kind| kind == 'internal' }.map { |m| m[1] }, NWS::DECLARABLE_MODES
  end

  def test_the_core_accepts_exactly_the_declarable_modes
    NWS::NetWorkSpace.open('modes', host: NWSTest.host, port: NWSTest.port) do |ws|
      NWS::DECLARABLE_MODES.each { |m| ws.declare("v_#{m}", m) }
      assert_equal NWS::DECLARABLE_MODES.sort, ws.list_vars.map(&:mode).sort
      assert_raises(NWS::InvalidArgumentError) { ws.declare('v', 'unknown') }
    end
  end
end
